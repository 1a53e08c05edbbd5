package dev.relaylink.azure.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.port.LinkLock;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.link.ClaimPolicy;
import dev.relaylink.port.IdempotencyStore.Claim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event claims and the link lock in Table Storage, through the real Tables SDK client against
 * the local Table service fake. Each store object stands for one instance of the function app; all
 * share the table, as scaled-out instances share the storage account.
 */
class TableStorageStoresTest {
    private static final String TABLE = "relaylinkstate";
    private static final Duration FUNCTION_TIMEOUT = Duration.ofMinutes(5);
    /** When a dead run's claim may be taken over. */
    private static final Duration CLAIM_TTL = FUNCTION_TIMEOUT.plus(ClaimPolicy.CLOCK_MARGIN);
    private static final Duration COMPLETED_TTL = Duration.ofDays(1);
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final FakeAzure azure = new FakeAzure();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

    @AfterEach
    void stop() {
        azure.close();
    }

    private TableStorageIdempotencyStore instance() {
        return new TableStorageIdempotencyStore(azure.clients.table(azure.fake.tableServiceUri(), TABLE), clock, new ClaimPolicy(FUNCTION_TIMEOUT, COMPLETED_TTL));
    }

    private TableStorageLinkLock lockOfAnInstance() {
        return new TableStorageLinkLock(azure.clients.table(azure.fake.tableServiceUri(), TABLE), clock);
    }

    @Test
    void anEventIsClaimedOnceAcrossInstancesAndStaysHandledOnceCompleted() {
        TableStorageIdempotencyStore first = instance();
        TableStorageIdempotencyStore second = instance();
        assertThat(azure.fake.tables().tableNames()).as("the table is created on first use").isEmpty();

        assertThat(first.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        assertThat(azure.fake.tables().tableNames()).containsExactly(TABLE);
        assertThat(first.claim("evt-1")).as("a redelivery to the same instance").isEqualTo(Claim.IN_PROGRESS);
        assertThat(second.claim("evt-1")).as("a redelivery to another instance").isEqualTo(Claim.IN_PROGRESS);
        assertThat(second.claim("evt-2")).isEqualTo(Claim.CLAIMED);

        first.complete("evt-1");
        assertThat(azure.fake.tables().row(TABLE, "event", "evt-1").orElseThrow().path("status").asText()).isEqualTo("COMPLETED");
        clock.advance(CLAIM_TTL.plusMinutes(1));
        assertThat(second.claim("evt-1")).as("completed: handled, long after the claim would have expired").isEqualTo(Claim.HANDLED);
        // remembered as long as the event source redelivers, then forgotten like DynamoDB's TTL forgets it
        clock.advance(COMPLETED_TTL);
        assertThat(second.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        assertThat(azure.fake.requests()).allMatch(r -> r.bearer(), "every request carries an Entra ID token, never a key");
    }

    @Test
    void aClaimWhoseHandlerDiedIsTakenOverAfterItExpiresAndItsOwnerCannotReleaseTheNewOne() {
        TableStorageIdempotencyStore crashed = instance();
        TableStorageIdempotencyStore retry = instance();
        TableStorageIdempotencyStore third = instance();
        assertThat(crashed.claim("evt-1")).isEqualTo(Claim.CLAIMED);

        clock.advance(CLAIM_TTL.minusSeconds(1));
        assertThat(retry.claim("evt-1")).as("still within the claim").isEqualTo(Claim.IN_PROGRESS);
        clock.advance(Duration.ofSeconds(1));
        assertThat(retry.claim("evt-1")).as("expired: the retry takes it over").isEqualTo(Claim.CLAIMED);

        crashed.release("evt-1"); // the slow first handler gives up late: its ETag no longer matches
        assertThat(third.claim("evt-1")).isEqualTo(Claim.IN_PROGRESS);
        assertThat(azure.fake.tables().row(TABLE, "event", "evt-1")).isPresent();
    }

    @Test
    void aReleasedClaimCanBeClaimedAgain() {
        TableStorageIdempotencyStore first = instance();
        TableStorageIdempotencyStore second = instance();
        assertThat(first.claim("evt-1")).isEqualTo(Claim.CLAIMED);

        first.release("evt-1");

        assertThat(azure.fake.tables().row(TABLE, "event", "evt-1")).isEmpty();
        assertThat(second.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        first.release("never-claimed"); // nothing to give back, nothing happens
    }

    @Test
    void ofManyInstancesRacingForOneEventOrForAnExpiredClaimExactlyOneWins() throws Exception {
        assertThat(race(8, () -> instance().claim("evt-race") == Claim.CLAIMED)).containsOnlyOnce(true);

        clock.advance(CLAIM_TTL);
        assertThat(race(8, () -> instance().claim("evt-race") == Claim.CLAIMED)).as("taking over the expired claim").containsOnlyOnce(true);
    }

    @Test
    void idsOfAnyShapeAreKeptApart() {
        TableStorageIdempotencyStore store = instance();
        List<String> ids = List.of("a/b", "a%2Fb", "a#b?c\\d", "it's", "tab\there", "ünïcode", "plus+sign", "x".repeat(600), "x".repeat(601));
        for (String id : ids) {
            assertThat(store.claim(id)).as(id).isEqualTo(Claim.CLAIMED);
        }
        for (String id : ids) {
            assertThat(instance().claim(id)).as(id).isNotEqualTo(Claim.CLAIMED);
        }
    }

    @Test
    void theLinkLockIsHeldByOneInstanceAtATime() {
        TableStorageLinkLock first = lockOfAnInstance();
        TableStorageLinkLock second = lockOfAnInstance();

        Optional<LinkLock.Lease> lease = first.tryAcquire("relay-link-demo", LEASE);
        assertThat(lease).isPresent();
        assertThat(second.tryAcquire("relay-link-demo", LEASE)).isEmpty();
        assertThat(first.tryAcquire("relay-link-demo", LEASE)).as("not re-entrant").isEmpty();
        assertThat(second.tryAcquire("another-link", LEASE)).as("one lock per link").isPresent();

        lease.get().close();
        assertThat(azure.fake.tables().row(TABLE, "lock", "relay-link-demo")).isEmpty();
        assertThat(second.tryAcquire("relay-link-demo", LEASE)).isPresent();
    }

    @Test
    void aLeaseExpiresByItselfAndItsLateHolderDoesNotReleaseItsSuccessor() throws Exception {
        TableStorageLinkLock dead = lockOfAnInstance();
        TableStorageLinkLock next = lockOfAnInstance();
        LinkLock.Lease stale = dead.tryAcquire("relay-link-demo", LEASE).orElseThrow();

        clock.advance(LEASE.minusMillis(1));
        assertThat(next.tryAcquire("relay-link-demo", LEASE)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        LinkLock.Lease current = next.tryAcquire("relay-link-demo", LEASE).orElseThrow();

        stale.close();
        assertThat(lockOfAnInstance().tryAcquire("relay-link-demo", LEASE)).as("the successor still holds it").isEmpty();
        current.close();
        clock.advance(LEASE);
        assertThat(race(8, () -> lockOfAnInstance().tryAcquire("relay-link-demo", LEASE).isPresent())).containsOnlyOnce(true);
    }

    @Test
    void serviceErrorsOtherThanTheConditionsAreNotTakenForAnAnswer() {
        TableStorageIdempotencyStore store = new TableStorageIdempotencyStore(
                azure.clients.table(azure.fake.tableServiceUri(), "bad-name"), clock, new ClaimPolicy(FUNCTION_TIMEOUT, COMPLETED_TTL));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.claim("evt-1"))
                .isInstanceOf(com.azure.data.tables.models.TableServiceException.class);
    }

    private static List<Boolean> race(int instances, Callable<Boolean> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return attempt.call();
                }));
            }
            start.countDown();
            List<Boolean> outcomes = new ArrayList<>();
            for (Future<Boolean> result : results) {
                outcomes.add(result.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
