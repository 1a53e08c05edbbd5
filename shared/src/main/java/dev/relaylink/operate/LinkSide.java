package dev.relaylink.operate;

import dev.relaylink.link.LinkPorts;
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
public record LinkSide(String name, LinkPorts ports, Set<Concern> concerns, HandledEvents events, DeadLetters deadLetters) {
    public static final String AWS = "aws";
    public static final String AZURE = "azure";

    public LinkSide {
        concerns = Set.copyOf(concerns);
    }

    public static LinkSide aws(LinkPorts ports, HandledEvents events, DeadLetters deadLetters) {
        return new LinkSide(AWS, ports, Concern.AWS, events, deadLetters);
    }

    public static LinkSide azure(LinkPorts ports, HandledEvents events, DeadLetters deadLetters) {
        return new LinkSide(AZURE, ports, Concern.AZURE, events, deadLetters);
    }

    /** Neither events nor dead letters readable (a side reached through its ports only). */
    public static HandledEvents noEvents() {
        return limit -> List.of();
    }
}
