package dev.relaylink.azure.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import dev.relaylink.azure.emulator.Azurite;
import dev.relaylink.azure.fake.FixedTokenCredential;
import dev.relaylink.port.LinkLock;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.policy.ClaimPolicy;
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
 * Azurite's Table service (HTTPS, bearer tokens: identity-based access as in production). Each
 * store object stands for one instance of the function app; all share the table, as scaled-out
 * instances share the storage account. Each test has a table of its own on the shared emulator.
 */
class TableStorageStoresTest {
    private static final Duration FUNCTION_TIMEOUT = Duration.ofMinutes(5);
    /** When a dead run's claim may be taken over. */
    private static final Duration CLAIM_TTL = FUNCTION_TIMEOUT.plus(ClaimPolicy.CLOCK_MARGIN);
    private static final Duration COMPLETED_TTL = Duration.ofDays(1);
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final FakeAzure azure = FakeAzure.withAzurite();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final String table = Azurite.uniqueTable("relaylinkstate");
    /** The table as an operator would look at it, beside the stores. */
    private final TableClient rows = azure.clients.table(azure.azurite().tableServiceUri(), table);

    @AfterEach
    void stop() {
        azure.close();
    }

    private TableStorageIdempotencyStore instance() {
        return new TableStorageIdempotencyStore(azure.clients.table(azure.azurite().tableServiceUri(), table), clock, new ClaimPolicy(FUNCTION_TIMEOUT, COMPLETED_TTL));
    }

    private TableStorageLinkLock lockOfAnInstance() {
        return new TableStorageLinkLock(azure.clients.table(azure.azurite().tableServiceUri(), table), clock);
    }

    @Test
    void anEventIsClaimedOnceAcrossInstancesAndStaysHandledOnceCompleted() {
        TableStorageIdempotencyStore first = instance();
        TableStorageIdempotencyStore second = instance();
        assertThat(tableExists()).as("the table is created on first use").isFalse();

        assertThat(first.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        assertThat(tableExists()).isTrue();
        assertThat(first.claim("evt-1")).as("a redelivery to the same instance").isEqualTo(Claim.IN_PROGRESS);
        assertThat(second.claim("evt-1")).as("a redelivery to another instance").isEqualTo(Claim.IN_PROGRESS);
        assertThat(second.claim("evt-2")).isEqualTo(Claim.CLAIMED);

        first.complete("evt-1");
        assertThat(row("event", "evt-1").orElseThrow().getProperty("status")).isEqualTo("COMPLETED");
        clock.advance(CLAIM_TTL.plusMinutes(1));
        assertThat(second.claim("evt-1")).as("completed: handled, long after the claim would have expired").isEqualTo(Claim.HANDLED);
        // remembered as long as the event source redelivers, then forgotten like DynamoDB's TTL forgets it
        clock.advance(COMPLETED_TTL);
        assertThat(second.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        assertThat(azure.credential.requests()).as("every request authenticated with an Entra ID token for Storage, never a key")
                .isNotEmpty().allMatch(r -> r.scopes().equals(List.of("https://storage.azure.com/.default")));
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
        assertThat(row("event", "evt-1")).isPresent();
    }

    @Test
    void aReleasedClaimCanBeClaimedAgain() {
        TableStorageIdempotencyStore first = instance();
        TableStorageIdempotencyStore second = instance();
        assertThat(first.claim("evt-1")).isEqualTo(Claim.CLAIMED);

        first.release("evt-1");

        assertThat(row("event", "evt-1")).isEmpty();
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

    /** One holder at a time is LinkLockCases' (TableStorageLockCasesTest); here: a closed lease leaves no row behind. */
    @Test
    void aClosedLeaseDeletesItsRow() {
        Optional<LinkLock.Lease> lease = lockOfAnInstance().tryAcquire("relay-link-demo", LEASE);
        assertThat(row("lock", "relay-link-demo")).isPresent();

        lease.orElseThrow().close();
        assertThat(row("lock", "relay-link-demo")).isEmpty();
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
                azure.clients.table(azure.azurite().tableServiceUri(), "bad-name"), clock, new ClaimPolicy(FUNCTION_TIMEOUT, COMPLETED_TTL));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.claim("evt-1"))
                .isInstanceOf(com.azure.data.tables.models.TableServiceException.class);
    }

    @Test
    void aTokenForAnotherResourceIsRefusedAndTheStoreSaysSo() {
        // An Entra ID token for Key Vault instead of Storage: the emulator, like the service, refuses it.
        com.azure.core.credential.TokenCredential vaultToken = context -> reactor.core.publisher.Mono.just(new com.azure.core.credential.AccessToken(
                FixedTokenCredential.token("https://vault.azure.net"), java.time.OffsetDateTime.now().plusHours(1)));
        TableClient wrongAudience = new com.azure.data.tables.TableClientBuilder().endpoint(azure.azurite().tableServiceUri()).tableName(table)
                .credential(vaultToken).httpClient(azure.clients.httpClient()).buildClient();
        TableStorageIdempotencyStore store = new TableStorageIdempotencyStore(wrongAudience, clock, new ClaimPolicy(FUNCTION_TIMEOUT, COMPLETED_TTL));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.claim("evt-1"))
                .isInstanceOfSatisfying(com.azure.data.tables.models.TableServiceException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isIn(401, 403));
    }

    private boolean tableExists() {
        return new com.azure.data.tables.TableServiceClientBuilder().endpoint(azure.azurite().tableServiceUri()).credential(azure.credential)
                .httpClient(azure.clients.httpClient()).buildClient().listTables(
                new com.azure.data.tables.models.ListTablesOptions().setFilter("TableName eq '" + table + "'"), null, null).stream().findAny().isPresent();
    }

    private Optional<TableEntity> row(String partition, String key) {
        try {
            return Optional.of(rows.getEntity(partition, key));
        } catch (com.azure.data.tables.models.TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
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
