package dev.relaylink.testing;

import dev.relaylink.policy.ClaimPolicy;
import dev.relaylink.policy.EventClaims;
import dev.relaylink.port.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The idempotency store of tests and the local run, kept by {@link EventClaims}' rule as DynamoDB and
 * Table storage keep it in the clouds.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final ConcurrentMap<String, EventClaims.Entry> entries = new ConcurrentHashMap<>();
    private final EventClaims claims;

    public InMemoryIdempotencyStore(Clock clock, ClaimPolicy policy) {
        this.claims = new EventClaims(clock, policy);
    }

    /** Claims that expire after {@code functionTimeout}; handled ids are never forgotten. */
    public InMemoryIdempotencyStore(Clock clock, Duration functionTimeout) {
        this(clock, new ClaimPolicy(functionTimeout, Duration.ofDays(365)));
    }

    @Override
    public Claim claim(String eventId) {
        Instant now = claims.now();
        EventClaims.Entry mine = claims.claim(now);
        EventClaims.Entry result = entries.compute(eventId, (id, old) -> old == null || EventClaims.mayReplace(old, now) ? mine : old);
        return result == mine ? claims.won(eventId, mine) : EventClaims.lostTo(Optional.of(result.status()));
    }

    @Override
    public void complete(String eventId) {
        entries.put(eventId, claims.completion(claims.now()));
        claims.completed(eventId);
    }

    @Override
    public void release(String eventId) {
        claims.release(eventId).ifPresent(owner ->
                entries.computeIfPresent(eventId, (id, old) -> EventClaims.mayRelease(old, owner) ? null : old));
    }
}
