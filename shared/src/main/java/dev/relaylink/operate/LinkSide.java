package dev.relaylink.operate;

import dev.relaylink.wiring.AwsSide;
import dev.relaylink.wiring.AzureSide;
import dev.relaylink.wiring.Side;
import dev.relaylink.plan.Concern;
import dev.relaylink.port.DeadLetters;
import dev.relaylink.port.HandledEvents;
import java.util.List;
import java.util.Set;

/**
 * One deployment of the link as an operator reaches it: its ports, the concerns it owns, and what
 * it remembers of its events and failures. {@code aws} or {@code azure}, exactly as deployed, so a
 * preview observes and plans what that side's own reconcile would.
 */
public record LinkSide(String name, Side ports, Set<Concern> concerns, HandledEvents events, DeadLetters deadLetters) {
    public static final String AWS = "aws";
    public static final String AZURE = "azure";

    public LinkSide {
        concerns = Set.copyOf(concerns);
    }

    public static LinkSide aws(AwsSide ports, HandledEvents events, DeadLetters deadLetters) {
        return new LinkSide(AWS, ports, ports.concerns(), events, deadLetters);
    }

    public static LinkSide azure(AzureSide ports, HandledEvents events, DeadLetters deadLetters) {
        return new LinkSide(AZURE, ports, ports.concerns(), events, deadLetters);
    }

    /** Neither events nor dead letters readable (a side reached through its ports only). */
    public static HandledEvents noEvents() {
        return limit -> List.of();
    }
}
