package dev.relaylink.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * How long an event's claim and its completion are kept, on both clouds. A claim lives as long as the
 * function that took it can run (its platform timeout) plus a margin for the clocks of two instances:
 * a run that dies (timeout, out of memory, a killed JVM) holds the event no longer than it could have
 * lived, so the platform's next retry, which comes after that run ended, takes the claim over and does
 * the work. A handled event id is remembered longer than the event source redelivers.
 *
 * @param functionTimeout the platform's limit for one run (template.yaml's Timeout, host.json's functionTimeout)
 * @param completedTtl how long a handled event id counts as handled
 */
public record ClaimPolicy(Duration functionTimeout, Duration completedTtl) {
    /** Instances' clocks differ by far less than this (both clouds sync their hosts' time). */
    public static final Duration CLOCK_MARGIN = Duration.ofSeconds(5);

    public ClaimPolicy {
        if (functionTimeout.isNegative() || functionTimeout.isZero()) {
            throw new IllegalArgumentException("the function timeout must be positive, not " + functionTimeout);
        }
    }

    /** When a claim taken at {@code claimedAt} may be taken over: its run can no longer be alive. */
    public Instant claimExpiry(Instant claimedAt) {
        return claimedAt.plus(functionTimeout).plus(CLOCK_MARGIN);
    }

    /** Until when an event id completed at {@code completedAt} is remembered as handled. */
    public Instant completedExpiry(Instant completedAt) {
        return completedAt.plus(completedTtl);
    }
}
