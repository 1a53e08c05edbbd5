package dev.relaylink.aws.adapter;

import dev.relaylink.port.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Handled event ids in the link's DynamoDB table (partition key {@code id}, string; TTL attribute
 * {@code expiresAt}, epoch seconds). A claim is a conditional put: it wins when the id is new or
 * when an earlier claim is still IN_PROGRESS past its expiry (its handler died). DynamoDB deletes
 * expired items only eventually, so the condition checks {@code expiresAt} itself.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {
    public static final String KEY = "id";
    public static final String STATUS = "status";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    static final String PREFIX = "event#";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;
    private final Duration claimTtl;
    private final Duration completedTtl;

    /**
     * @param claimTtl how long a claim blocks retries: longer than the function's timeout
     * @param completedTtl how long a handled event id is remembered: longer than the event source redelivers
     */
    public DynamoDbIdempotencyStore(DynamoDbClient dynamoDb, String table, Clock clock, Duration claimTtl, Duration completedTtl) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
        this.claimTtl = claimTtl;
        this.completedTtl = completedTtl;
    }

    @Override
    public boolean claim(String eventId) {
        long now = clock.instant().getEpochSecond();
        try {
            dynamoDb.putItem(r -> r.tableName(table)
                    .item(Map.of(KEY, s(PREFIX + eventId), STATUS, s(IN_PROGRESS), EXPIRES_AT, n(now + claimTtl.toSeconds())))
                    .conditionExpression("attribute_not_exists(#id) OR (#status = :inProgress AND #expiresAt <= :now)")
                    .expressionAttributeNames(Map.of("#id", KEY, "#status", STATUS, "#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":inProgress", s(IN_PROGRESS), ":now", n(now))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void complete(String eventId) {
        long now = clock.instant().getEpochSecond();
        dynamoDb.putItem(r -> r.tableName(table)
                .item(Map.of(KEY, s(PREFIX + eventId), STATUS, s(COMPLETED), EXPIRES_AT, n(now + completedTtl.toSeconds()))));
    }

    @Override
    public void release(String eventId) {
        try {
            dynamoDb.deleteItem(r -> r.tableName(table)
                    .key(Map.of(KEY, s(PREFIX + eventId)))
                    .conditionExpression("#status = :inProgress")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(":inProgress", s(IN_PROGRESS))));
        } catch (ConditionalCheckFailedException e) {
            // completed meanwhile (or never claimed): nothing to give back
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
