package dev.relaylink.aws.adapter;

import static dev.relaylink.aws.adapter.DynamoDbIdempotencyStore.EXPIRES_AT;
import static dev.relaylink.aws.adapter.DynamoDbIdempotencyStore.KEY;
import static dev.relaylink.aws.adapter.DynamoDbIdempotencyStore.n;
import static dev.relaylink.aws.adapter.DynamoDbIdempotencyStore.s;

import dev.relaylink.port.LinkLock;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The per-link lock as one item ({@code lock#<link>}) in the same table as the event ids: taken by a
 * conditional put when absent or past its lease, released by a delete that only its owner may do.
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
        String owner = UUID.randomUUID().toString();
        long now = clock.instant().getEpochSecond();
        // Whole seconds (the TTL attribute's unit), rounded up so a lease never ends early.
        long until = now + Math.max(1, (ttl.toMillis() + 999) / 1000);
        try {
            dynamoDb.putItem(r -> r.tableName(table)
                    .item(Map.of(KEY, s(PREFIX + linkName), OWNER, s(owner), EXPIRES_AT, n(until)))
                    .conditionExpression("attribute_not_exists(#id) OR #expiresAt <= :now")
                    .expressionAttributeNames(Map.of("#id", KEY, "#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(now))));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        return Optional.of(() -> release(linkName, owner));
    }

    private void release(String linkName, String owner) {
        try {
            dynamoDb.deleteItem(r -> r.tableName(table)
                    .key(Map.of(KEY, s(PREFIX + linkName)))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", OWNER))
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException e) {
            // our lease ran out and someone else holds the lock now: it is theirs to release
        }
    }
}
