package dev.relaylink.aws.adapter;

import dev.relaylink.link.ClaimPolicy;
import dev.relaylink.port.IdempotencyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Handled event ids in the link's DynamoDB table (partition key {@code id}, string; TTL attribute
 * {@code expiresAt}, epoch seconds). A claim is a conditional put: it wins when the id is new or
 * when an earlier claim is still IN_PROGRESS past its expiry (its handler died; {@link ClaimPolicy}:
 * the function's timeout). DynamoDB deletes expired items only eventually, so the condition checks
 * {@code expiresAt} itself. A lost claim reads the item it lost to from the same request
 * ({@code ReturnValuesOnConditionCheckFailure}), so telling HANDLED from IN_PROGRESS costs no call.
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
    private final ClaimPolicy policy;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamoDb, String table, Clock clock, ClaimPolicy policy) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
        this.policy = policy;
    }

    @Override
    public Claim claim(String eventId) {
        Instant now = clock.instant();
        try {
            dynamoDb.putItem(r -> r.tableName(table)
                    .item(Map.of(KEY, s(PREFIX + eventId), STATUS, s(IN_PROGRESS), EXPIRES_AT, n(policy.claimExpiry(now).getEpochSecond())))
                    // a completed id is remembered until its own expiresAt too: after that the event counts as new
                    .conditionExpression("attribute_not_exists(#id) OR #expiresAt <= :now")
                    .expressionAttributeNames(Map.of("#id", KEY, "#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException e) {
            AttributeValue status = e.hasItem() ? e.item().get(STATUS) : null;
            return status != null && COMPLETED.equals(status.s()) ? Claim.HANDLED : Claim.IN_PROGRESS;
        }
    }

    @Override
    public void complete(String eventId) {
        Instant now = clock.instant();
        dynamoDb.putItem(r -> r.tableName(table)
                .item(Map.of(KEY, s(PREFIX + eventId), STATUS, s(COMPLETED), EXPIRES_AT, n(policy.completedExpiry(now).getEpochSecond()))));
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
