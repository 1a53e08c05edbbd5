package dev.relaylink.testing;

import dev.relaylink.policy.LinkLeases;
import dev.relaylink.port.LinkLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The per-link lock of tests and the local run, kept by {@link LinkLeases}' rule as DynamoDB and Table storage keep it in the clouds. */
public final class InMemoryLinkLock implements LinkLock {
    private final ConcurrentMap<String, LinkLeases.Holder> holders = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryLinkLock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Lease> tryAcquire(String linkName, Duration ttl) {
        Instant now = clock.instant();
        LinkLeases.Holder mine = LinkLeases.take(now, ttl);
        LinkLeases.Holder result = holders.compute(linkName, (name, old) -> old == null || LinkLeases.mayReplace(old, now) ? mine : old);
        if (result != mine) {
            return Optional.empty();
        }
        return Optional.of(() -> holders.remove(linkName, mine));
    }
}
