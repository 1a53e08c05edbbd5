package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.port.LinkLock;
import dev.relaylink.policy.ClaimPolicy;
import dev.relaylink.port.IdempotencyStore.Claim;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Event ids and the link lock in DynamoDB (the AWS emulator), with a clock the test moves. */
class DynamoDbStoresTest {
    private static final Duration FUNCTION_TIMEOUT = Duration.ofMinutes(5);
    /** When a dead run's claim may be taken over. */
    private static final Duration CLAIM_TTL = FUNCTION_TIMEOUT.plus(ClaimPolicy.CLOCK_MARGIN);
    private static final Duration COMPLETED_TTL = Duration.ofDays(7);
    private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

    private AwsClients aws;
    private String table;
    private MutableClock clock;
    private DynamoDbIdempotencyStore events;
    private DynamoDbLinkLock lock;

    @BeforeEach
    void setUp() {
        aws = Emulator.clients();
        table = Emulator.linkTable();
        clock = new MutableClock(START);
        events = new DynamoDbIdempotencyStore(aws.dynamoDb(), table, clock, new ClaimPolicy(FUNCTION_TIMEOUT, COMPLETED_TTL));
        lock = new DynamoDbLinkLock(aws.dynamoDb(), table, clock);
    }

    @Test
    void anEventIsClaimedOnceAndACompletedOneStaysHandled() {
        assertThat(events.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        assertThat(events.claim("evt-1")).isEqualTo(Claim.IN_PROGRESS);

        events.complete("evt-1");

        assertThat(events.claim("evt-1")).isEqualTo(Claim.HANDLED);
        clock.advance(CLAIM_TTL.plusMinutes(1));
        assertThat(events.claim("evt-1")).isEqualTo(Claim.HANDLED);
        Map<String, AttributeValue> item = item("event#evt-1");
        assertThat(item.get("status").s()).isEqualTo("COMPLETED");
        assertThat(Long.parseLong(item.get("expiresAt").n()))
                .as("completed at the start, remembered for the completed TTL (the table's TTL attribute)")
                .isEqualTo(START.plus(COMPLETED_TTL).getEpochSecond());
    }

    @Test
    void aReleasedClaimCanBeRetried() {
        assertThat(events.claim("evt-2")).isEqualTo(Claim.CLAIMED);

        events.release("evt-2");

        assertThat(events.claim("evt-2")).isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aClaimWhoseHandlerDiedExpiresAndCanBeTakenAgain() {
        assertThat(events.claim("evt-3")).isEqualTo(Claim.CLAIMED);

        clock.advance(CLAIM_TTL.minusSeconds(1));
        assertThat(events.claim("evt-3")).isEqualTo(Claim.IN_PROGRESS);
        clock.advance(Duration.ofSeconds(1));
        assertThat(events.claim("evt-3")).isEqualTo(Claim.CLAIMED);
    }

    @Test
    void releasingDoesNotForgetACompletedEvent() {
        assertThat(events.claim("evt-4")).isEqualTo(Claim.CLAIMED);
        events.complete("evt-4");

        events.release("evt-4");

        assertThat(events.claim("evt-4")).isNotEqualTo(Claim.CLAIMED);
    }

    @Test
    void theLockHasOneHolderAtATimeAndFreesOnClose() {
        Optional<LinkLock.Lease> first = lock.tryAcquire("demo", Duration.ofMinutes(5));
        assertThat(first).isPresent();
        assertThat(lock.tryAcquire("demo", Duration.ofMinutes(5))).isEmpty();
        assertThat(lock.tryAcquire("another-link", Duration.ofMinutes(5))).isPresent();

        first.get().close();

        assertThat(lock.tryAcquire("demo", Duration.ofMinutes(5))).isPresent();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsOldHolderCannotReleaseTheNewOne() {
        LinkLock.Lease stale = lock.tryAcquire("demo", Duration.ofMinutes(5)).orElseThrow();
        clock.advance(Duration.ofMinutes(5));

        LinkLock.Lease current = lock.tryAcquire("demo", Duration.ofMinutes(5)).orElseThrow();
        stale.close();

        assertThat(lock.tryAcquire("demo", Duration.ofMinutes(5))).isEmpty();
        current.close();
        assertThat(item("lock#demo")).isEmpty();
    }

    private Map<String, AttributeValue> item(String id) {
        return aws.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(DynamoDbIdempotencyStore.KEY, AttributeValue.fromS(id)))).item();
    }
}
