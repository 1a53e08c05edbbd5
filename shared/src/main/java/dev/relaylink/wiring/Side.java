package dev.relaylink.wiring;

import dev.relaylink.plan.Concern;
import java.util.Optional;
import java.util.Set;

/**
 * One deployment's ports, typed by the cloud it runs in: the AWS functions hold an {@link AwsSide},
 * the Azure function app an {@link AzureSide}; {@link BothSides} is one process holding both (the
 * tests' in-memory link). Which concerns a side observes and changes follows from its type.
 */
public sealed interface Side permits AwsSide, AzureSide, BothSides {

    Set<Concern> concerns();

    default Optional<AwsSide> aws() {
        return switch (this) {
            case AwsSide aws -> Optional.of(aws);
            case AzureSide azure -> Optional.empty();
            case BothSides both -> Optional.of(both.awsSide());
        };
    }

    default Optional<AzureSide> azure() {
        return switch (this) {
            case AwsSide aws -> Optional.empty();
            case AzureSide azure -> Optional.of(azure);
            case BothSides both -> Optional.of(both.azureSide());
        };
    }

    /** The concerns of {@code wanted} this side does not run; a reconcile asks only for those it does. */
    default Set<Concern> missing(Set<Concern> wanted) {
        Set<Concern> missing = java.util.EnumSet.noneOf(Concern.class);
        wanted.stream().filter(c -> !concerns().contains(c)).forEach(missing::add);
        return missing;
    }

    /** A side's builder found these ports unset: a wiring mistake, reported once with every name. */
    static void requireComplete(String side, java.util.List<String> missing) {
        if (!missing.isEmpty()) {
            throw new dev.relaylink.failure.ConfigurationFailure("the " + side + " side is wired without " + String.join(", ", missing));
        }
    }
}
