package dev.relaylink.wiring;

import dev.relaylink.plan.Concern;
import java.util.Set;

/** Both halves in one process (the tests' in-memory link): each side reads the other's CA certificates directly. */
public record BothSides(AwsSide awsSide, AzureSide azureSide) implements Side {
    @Override
    public Set<Concern> concerns() {
        return Concern.ALL;
    }
}
