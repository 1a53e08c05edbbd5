package dev.relaylink.azure.adapter;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import dev.relaylink.port.HandledEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The events the Azure side remembers: the rows {@link TableStorageIdempotencyStore} keeps in the
 * state table (one query of the event partition). A row stores when it expires, so the time it was
 * written is that minus the claim or completion TTL it was given. No table yet means no events.
 */
public final class TableStorageHandledEvents implements HandledEvents {
    private final TableClient table;
    private final Duration claimTtl;
    private final Duration completedTtl;

    /** With the claim policy the store writes its rows by: a claim's and a completion's lifetime. */
    public TableStorageHandledEvents(TableClient table, dev.relaylink.policy.ClaimPolicy claims) {
        this(table, Duration.between(Instant.EPOCH, claims.claimExpiry(Instant.EPOCH)), claims.completedTtl());
    }

    public TableStorageHandledEvents(TableClient table, Duration claimTtl, Duration completedTtl) {
        this.table = table;
        this.claimTtl = claimTtl;
        this.completedTtl = completedTtl;
    }

    @Override
    public List<HandledEvent> recent(int limit) {
        List<HandledEvent> events = new ArrayList<>();
        try {
            table.listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq '" + TableStorageIdempotencyStore.PARTITION + "'"), null, null)
                    .forEach(row -> events.add(event(row)));
        } catch (TableServiceException e) {
            if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
                throw e;
            }
        }
        events.sort(Comparator.comparing(HandledEvent::at).reversed());
        return List.copyOf(events.subList(0, Math.min(limit, events.size())));
    }

    private HandledEvent event(TableEntity row) {
        String status = String.valueOf(row.getProperty(TableStorageIdempotencyStore.STATUS));
        Object expires = row.getProperty(TableStorageIdempotencyStore.EXPIRES_AT);
        Instant expiresAt = expires instanceof Long millis ? Instant.ofEpochMilli(millis) : Instant.EPOCH;
        Duration ttl = TableStorageIdempotencyStore.COMPLETED.equals(status) ? completedTtl : claimTtl;
        return new HandledEvent(row.getRowKey(), status, expiresAt.minus(ttl));
    }
}
