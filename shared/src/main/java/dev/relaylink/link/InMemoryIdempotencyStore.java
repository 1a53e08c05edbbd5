package dev.relaylink.link;

import dev.relaylink.port.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The idempotency store of tests and the local run; DynamoDB holds it in the cloud. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Entry(boolean completed, Instant expiresAt) {
    }

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration claimTtl;

    public InMemoryIdempotencyStore(Clock clock, Duration claimTtl) {
        this.clock = clock;
        this.claimTtl = claimTtl;
    }

    @Override
    public boolean claim(String eventId) {
        Instant now = clock.instant();
        Entry mine = new Entry(false, now.plus(claimTtl));
        Entry result = entries.compute(eventId, (id, old) ->
                old == null || (!old.completed() && !now.isBefore(old.expiresAt())) ? mine : old);
        return result == mine;
    }

    @Override
    public void complete(String eventId) {
        entries.put(eventId, new Entry(true, Instant.MAX));
    }

    @Override
    public void release(String eventId) {
        entries.computeIfPresent(eventId, (id, old) -> old.completed() ? old : null);
    }
}
