package dev.relaylink.aws.adapter;

import static dev.relaylink.aws.adapter.DynamoDbIdempotencyStore.EXPIRES_AT;
import static dev.relaylink.aws.adapter.DynamoDbIdempotencyStore.KEY;
import static dev.relaylink.aws.adapter.DynamoDbIdempotencyStore.n;
import static dev.relaylink.aws.adapter.DynamoDbIdempotencyStore.s;

import dev.relaylink.policy.LinkLeases;
import dev.relaylink.port.LinkLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The per-link lock as one item ({@code lock#<link>}) in the same table as the event ids, kept by
 * {@link LinkLeases}' rule: taken by a put conditional on the item being absent or past its lease,
 * released by a delete conditional on its owner.
 */
public final class DynamoDbLinkLock implements LinkLock {
    public static final String OWNER = "owner";
    static final String PREFIX = "lock#";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public DynamoDbLinkLock(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<Lease> tryAcquire(String linkName, Duration ttl) {
        // Whole seconds (the TTL attribute's unit): from this second, the lease rounded up to whole seconds.
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        LinkLeases.Holder mine = LinkLeases.take(now, ttl);
        long until = mine.expiresAt().plusNanos(999_999_999).getEpochSecond();
        try {
            dynamoDb.putItem(r -> r.tableName(table)
                    .item(Map.of(KEY, s(PREFIX + linkName), OWNER, s(mine.owner()), EXPIRES_AT, n(until)))
                    // LinkLeases.mayReplace: no lease, or the one held has ended
                    .conditionExpression("attribute_not_exists(#id) OR #expiresAt <= :now")
                    .expressionAttributeNames(Map.of("#id", KEY, "#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        return Optional.of(() -> release(linkName, mine.owner()));
    }

    private void release(String linkName, String owner) {
        try {
            dynamoDb.deleteItem(r -> r.tableName(table)
                    .key(Map.of(KEY, s(PREFIX + linkName)))
                    .conditionExpression("#owner = :owner") // LinkLeases.mayRelease
                    .expressionAttributeNames(Map.of("#owner", OWNER))
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException e) {
            // our lease ran out and someone else holds the lock now: it is theirs to release
        }
    }
}
