package dev.relaylink.link;

import dev.relaylink.port.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The idempotency store of tests and the local run; DynamoDB and Table storage hold it in the clouds. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Entry(boolean completed, Instant expiresAt) {
    }

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final ClaimPolicy policy;

    public InMemoryIdempotencyStore(Clock clock, ClaimPolicy policy) {
        this.clock = clock;
        this.policy = policy;
    }

    /** Claims that expire after {@code functionTimeout}; handled ids are never forgotten. */
    public InMemoryIdempotencyStore(Clock clock, Duration functionTimeout) {
        this(clock, new ClaimPolicy(functionTimeout, Duration.ofDays(365)));
    }

    @Override
    public Claim claim(String eventId) {
        Instant now = clock.instant();
        Entry mine = new Entry(false, policy.claimExpiry(now));
        Entry result = entries.compute(eventId, (id, old) ->
                old == null || !now.isBefore(old.expiresAt()) ? mine : old);
        return result == mine ? Claim.CLAIMED : result.completed() ? Claim.HANDLED : Claim.IN_PROGRESS;
    }

    @Override
    public void complete(String eventId) {
        entries.put(eventId, new Entry(true, policy.completedExpiry(clock.instant())));
    }

    @Override
    public void release(String eventId) {
        entries.computeIfPresent(eventId, (id, old) -> old.completed() ? old : null);
    }
}
