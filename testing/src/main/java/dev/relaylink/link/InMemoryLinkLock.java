package dev.relaylink.link;

import dev.relaylink.port.LinkLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The per-link lock of tests and the local run; DynamoDB holds it in the cloud. */
public final class InMemoryLinkLock implements LinkLock {
    private record Holder(String owner, Instant expiresAt) {
    }

    private final ConcurrentMap<String, Holder> holders = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryLinkLock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Lease> tryAcquire(String linkName, Duration ttl) {
        Instant now = clock.instant();
        Holder mine = new Holder(UUID.randomUUID().toString(), now.plus(ttl));
        Holder result = holders.compute(linkName, (name, old) -> old == null || !now.isBefore(old.expiresAt()) ? mine : old);
        if (result != mine) {
            return Optional.empty();
        }
        return Optional.of(() -> holders.remove(linkName, mine));
    }
}
