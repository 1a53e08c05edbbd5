package dev.relaylink.aws.adapter;

import dev.relaylink.policy.ClaimPolicy;
import dev.relaylink.policy.EventClaims;
import dev.relaylink.port.IdempotencyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Handled event ids in the link's DynamoDB table (partition key {@code id}, string; TTL attribute
 * {@code expiresAt}, epoch seconds), kept by {@link EventClaims}' rule. A claim is a put conditional
 * on the id being new or its item past {@code expiresAt} (DynamoDB deletes expired items only
 * eventually, so the condition checks it itself). A lost claim reads the item it lost to from the
 * same request ({@code ReturnValuesOnConditionCheckFailure}), so telling HANDLED from IN_PROGRESS
 * costs no call. A release is a delete conditional on the item still being this run's claim
 * (its {@value #CLAIM} token).
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {
    public static final String KEY = "id";
    public static final String STATUS = "status";
    public static final String EXPIRES_AT = "expiresAt";
    /** The owner token of an IN_PROGRESS claim. */
    public static final String CLAIM = "claim";
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    static final String PREFIX = "event#";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final EventClaims claims;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamoDb, String table, Clock clock, ClaimPolicy policy) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.claims = new EventClaims(clock, policy);
    }

    @Override
    public Claim claim(String eventId) {
        Instant now = claims.now();
        EventClaims.Entry mine = claims.claim(now);
        try {
            dynamoDb.putItem(r -> r.tableName(table)
                    .item(Map.of(KEY, s(PREFIX + eventId), STATUS, s(IN_PROGRESS), CLAIM, s(mine.owner()),
                            EXPIRES_AT, n(mine.expiresAt().getEpochSecond())))
                    // EventClaims.mayReplace: whatever is stored (a claim or a completion) has expired
                    .conditionExpression("attribute_not_exists(#id) OR #expiresAt <= :now")
                    .expressionAttributeNames(Map.of("#id", KEY, "#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return claims.won(eventId, mine);
        } catch (ConditionalCheckFailedException e) {
            AttributeValue status = e.hasItem() ? e.item().get(STATUS) : null;
            return EventClaims.lostTo(Optional.ofNullable(status).map(AttributeValue::s)
                    .map(s -> COMPLETED.equals(s) ? EventClaims.Status.COMPLETED : EventClaims.Status.IN_PROGRESS));
        }
    }

    @Override
    public void complete(String eventId) {
        EventClaims.Entry done = claims.completion(claims.now());
        dynamoDb.putItem(r -> r.tableName(table)
                .item(Map.of(KEY, s(PREFIX + eventId), STATUS, s(COMPLETED), EXPIRES_AT, n(done.expiresAt().getEpochSecond()))));
        claims.completed(eventId);
    }

    @Override
    public void release(String eventId) {
        Optional<String> owner = claims.release(eventId);
        if (owner.isEmpty()) {
            return; // not claimed here: nothing to give back
        }
        try {
            // EventClaims.mayRelease: still in progress, and still this run's claim
            dynamoDb.deleteItem(r -> r.tableName(table)
                    .key(Map.of(KEY, s(PREFIX + eventId)))
                    .conditionExpression("#status = :inProgress AND #claim = :owner")
                    .expressionAttributeNames(Map.of("#status", STATUS, "#claim", CLAIM))
                    .expressionAttributeValues(Map.of(":inProgress", s(IN_PROGRESS), ":owner", s(owner.get()))));
        } catch (ConditionalCheckFailedException e) {
            // completed meanwhile, or expired and taken over by another run: it is not ours to give back
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
