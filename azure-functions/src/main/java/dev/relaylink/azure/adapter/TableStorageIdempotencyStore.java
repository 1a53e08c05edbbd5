package dev.relaylink.azure.adapter;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import dev.relaylink.policy.ClaimPolicy;
import dev.relaylink.policy.EventClaims;
import dev.relaylink.port.IdempotencyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Handled event ids as rows of the link's state table (partition {@value #PARTITION}, row key the
 * event id), shared by every instance of the function app, kept by {@link EventClaims}' rule. A claim
 * is an insert that fails when the row exists; an expired row is replaced conditional on the ETag that
 * was read, so of two instances racing for it one wins. A release deletes the row only while it is
 * this run's claim, conditional on its ETag. Table Storage has no TTL: completed rows stay (a few
 * hundred bytes each, a handful per hour).
 */
public final class TableStorageIdempotencyStore implements IdempotencyStore {
    static final String PARTITION = "event";
    static final String STATUS = "status";
    static final String CLAIM = "claim";
    static final String EXPIRES_AT = "expiresAt";
    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String COMPLETED = "COMPLETED";

    private final TableRows rows;
    private final EventClaims claims;

    public TableStorageIdempotencyStore(TableClient table, Clock clock, ClaimPolicy policy) {
        this.rows = new TableRows(table);
        this.claims = new EventClaims(clock, policy);
    }

    @Override
    public Claim claim(String eventId) {
        String key = TableRows.key(eventId);
        Instant now = claims.now();
        EventClaims.Entry mine = claims.claim(now);
        boolean claimed = rows.insert(row(key, mine));
        Optional<TableEntity> found = Optional.empty();
        if (!claimed) {
            found = rows.get(PARTITION, key);
            if (found.isEmpty()) {
                claimed = rows.insert(row(key, mine)); // released in between: one more try
            } else if (entry(found.get()).filter(stored -> EventClaims.mayReplace(stored, now)).isPresent()) {
                claimed = rows.replaceIfUnchanged(row(key, mine), found.get().getETag());
                if (!claimed) {
                    found = rows.get(PARTITION, key); // another instance took it first: what does it hold now?
                }
            }
        }
        if (claimed) {
            return claims.won(eventId, mine);
        }
        return EventClaims.lostTo(found.flatMap(TableStorageIdempotencyStore::entry).map(EventClaims.Entry::status));
    }

    @Override
    public void complete(String eventId) {
        rows.upsert(row(TableRows.key(eventId), claims.completion(claims.now())));
        claims.completed(eventId);
    }

    @Override
    public void release(String eventId) {
        Optional<String> owner = claims.release(eventId);
        if (owner.isEmpty()) {
            return; // not claimed here: nothing to give back
        }
        // Conditional on the ETag read: a takeover between the read and the delete wins.
        rows.get(PARTITION, TableRows.key(eventId))
                .filter(row -> entry(row).filter(stored -> EventClaims.mayRelease(stored, owner.get())).isPresent())
                .ifPresent(rows::deleteIfUnchanged);
    }

    /** The stored entry of {@code row}; empty when it is not one (no readable expiry). */
    private static Optional<EventClaims.Entry> entry(TableEntity row) {
        Object expiresAt = row.getProperty(EXPIRES_AT);
        if (!(expiresAt instanceof Long millis)) {
            return Optional.empty();
        }
        EventClaims.Status status = COMPLETED.equals(row.getProperty(STATUS)) ? EventClaims.Status.COMPLETED : EventClaims.Status.IN_PROGRESS;
        Object owner = row.getProperty(CLAIM);
        return Optional.of(new EventClaims.Entry(status, owner instanceof String token ? token : "", Instant.ofEpochMilli(millis)));
    }

    private static TableEntity row(String key, EventClaims.Entry entry) {
        TableEntity row = new TableEntity(PARTITION, key)
                .addProperty(STATUS, entry.status() == EventClaims.Status.COMPLETED ? COMPLETED : IN_PROGRESS)
                .addProperty(EXPIRES_AT, entry.expiresAt().toEpochMilli());
        return entry.owner().isEmpty() ? row : row.addProperty(CLAIM, entry.owner());
    }
}
