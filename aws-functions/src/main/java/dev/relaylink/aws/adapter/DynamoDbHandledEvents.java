package dev.relaylink.aws.adapter;

import dev.relaylink.port.HandledEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The events the AWS side remembers, read from the claims that {@link DynamoDbIdempotencyStore}
 * writes (a paged Scan of the event rows: the table holds a day of claims). A claim stores when it
 * expires, so the time it was written is that minus the claim or completion TTL it was given.
 */
public final class DynamoDbHandledEvents implements HandledEvents {
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Duration claimTtl;
    private final Duration completedTtl;

    /** With the claim policy the store writes its rows by: a claim's and a completion's lifetime. */
    public DynamoDbHandledEvents(DynamoDbClient dynamoDb, String table, dev.relaylink.policy.ClaimPolicy claims) {
        this(dynamoDb, table, Duration.between(Instant.EPOCH, claims.claimExpiry(Instant.EPOCH)), claims.completedTtl());
    }

    public DynamoDbHandledEvents(DynamoDbClient dynamoDb, String table, Duration claimTtl, Duration completedTtl) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.claimTtl = claimTtl;
        this.completedTtl = completedTtl;
    }

    @Override
    public List<HandledEvent> recent(int limit) {
        List<HandledEvent> events = new ArrayList<>();
        var pages = dynamoDb.scanPaginator(r -> r.tableName(table)
                .filterExpression("begins_with(#id, :prefix)")
                .expressionAttributeNames(Map.of("#id", DynamoDbIdempotencyStore.KEY))
                .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(DynamoDbIdempotencyStore.PREFIX))));
        pages.items().forEach(item -> events.add(event(item)));
        events.sort(Comparator.comparing(HandledEvent::at).reversed());
        return List.copyOf(events.subList(0, Math.min(limit, events.size())));
    }

    private HandledEvent event(Map<String, AttributeValue> item) {
        String status = item.get(DynamoDbIdempotencyStore.STATUS).s();
        Instant expires = Instant.ofEpochSecond(Long.parseLong(item.get(DynamoDbIdempotencyStore.EXPIRES_AT).n()));
        Duration ttl = DynamoDbIdempotencyStore.COMPLETED.equals(status) ? completedTtl : claimTtl;
        return new HandledEvent(item.get(DynamoDbIdempotencyStore.KEY).s().substring(DynamoDbIdempotencyStore.PREFIX.length()), status,
                expires.minus(ttl));
    }
}
