package dev.relaylink.testing;

import dev.relaylink.policy.LinkLeases;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.port.LinkLock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cases every link lock passes the same way ({@link dev.relaylink.policy.LinkLeases}' rule): the
 * in-memory one, DynamoDB (moto) and Table storage (Azurite) each run them through a subclass. Each
 * {@link #instance()} stands for one instance of the function, all on the same table.
 */
public abstract class LinkLockCases {
    protected static final Duration LEASE = Duration.ofMinutes(5);

    /** Whole seconds: DynamoDB keeps its TTL attribute in epoch seconds. */
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));

    /** A new lock object on the shared table, with {@link #clock}. */
    protected abstract LinkLock instance();

    @Test
    void oneHolderAtATimePerLinkAndTheLockFreesOnClose() {
        LinkLock first = instance();
        LinkLock second = instance();

        Optional<LinkLock.Lease> lease = first.tryAcquire("relay-link-demo", LEASE);
        assertThat(lease).isPresent();
        assertThat(second.tryAcquire("relay-link-demo", LEASE)).isEmpty();
        assertThat(first.tryAcquire("relay-link-demo", LEASE)).as("not re-entrant").isEmpty();
        assertThat(second.tryAcquire("another-link", LEASE)).as("one lock per link").isPresent();

        lease.get().close();
        assertThat(second.tryAcquire("relay-link-demo", LEASE)).isPresent();
    }

    @Test
    void aLeaseEndsByItselfAndItsLateHolderDoesNotReleaseItsSuccessor() {
        LinkLock.Lease stale = instance().tryAcquire("relay-link-demo", LEASE).orElseThrow();

        clock.advance(LEASE.minusSeconds(1));
        assertThat(instance().tryAcquire("relay-link-demo", LEASE)).as("still held").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        LinkLock.Lease current = instance().tryAcquire("relay-link-demo", LEASE).orElseThrow();

        stale.close(); // the first holder wakes up late: the lock is its successor's now
        assertThat(instance().tryAcquire("relay-link-demo", LEASE)).as("the successor still holds it").isEmpty();
        current.close();
        assertThat(instance().tryAcquire("relay-link-demo", LEASE)).as("given back by its holder").isPresent();
    }

    @Test
    void closingALeaseTwiceGivesBackNothingMore() {
        LinkLock.Lease first = instance().tryAcquire("relay-link-demo", LEASE).orElseThrow();
        first.close();
        LinkLock.Lease second = instance().tryAcquire("relay-link-demo", LEASE).orElseThrow();

        first.close();

        assertThat(instance().tryAcquire("relay-link-demo", LEASE)).isEmpty();
        second.close();
    }
}
