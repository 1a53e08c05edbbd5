package dev.relaylink.azure.adapter;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import dev.relaylink.link.ClaimPolicy;
import dev.relaylink.port.IdempotencyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handled event ids as rows of the link's state table (partition {@value #PARTITION}, row key the
 * event id), shared by every instance of the function app. A claim is an insert that fails when the
 * row exists; a claim whose handler died (IN_PROGRESS past {@code expiresAt}: the function timeout,
 * {@link ClaimPolicy}) is taken over by a
 * replace conditional on the ETag that was read, so of two instances racing for it one wins. A
 * release deletes the row only if it still holds this claim's token, conditional on its ETag.
 * Table Storage has no TTL: completed rows stay (a few hundred bytes each, a handful per hour).
 */
public final class TableStorageIdempotencyStore implements IdempotencyStore {
    static final String PARTITION = "event";
    static final String STATUS = "status";
    static final String CLAIM = "claim";
    static final String EXPIRES_AT = "expiresAt";
    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String COMPLETED = "COMPLETED";

    private final TableRows rows;
    private final Clock clock;
    private final ClaimPolicy policy;
    /** The token of each claim this instance holds: a release deletes only its own claim. */
    private final Map<String, String> claims = new ConcurrentHashMap<>();

    public TableStorageIdempotencyStore(TableClient table, Clock clock, ClaimPolicy policy) {
        this.rows = new TableRows(table);
        this.clock = clock;
        this.policy = policy;
    }

    @Override
    public Claim claim(String eventId) {
        String key = TableRows.key(eventId);
        Instant now = clock.instant();
        String token = UUID.randomUUID().toString();
        boolean claimed = rows.insert(claim(key, token, now));
        Optional<TableEntity> found = Optional.empty();
        if (!claimed) {
            found = rows.get(PARTITION, key);
            if (found.isEmpty()) {
                claimed = rows.insert(claim(key, token, now)); // released in between: one more try
            } else if (isTakeable(found.get(), now)) {
                claimed = rows.replaceIfUnchanged(claim(key, token, now), found.get().getETag());
                if (!claimed) {
                    found = rows.get(PARTITION, key); // another instance took it first: what does it hold now?
                }
            }
        }
        if (claimed) {
            claims.put(eventId, token);
            return Claim.CLAIMED;
        }
        return found.filter(row -> COMPLETED.equals(row.getProperty(STATUS))).isPresent() ? Claim.HANDLED : Claim.IN_PROGRESS;
    }

    @Override
    public void complete(String eventId) {
        rows.upsert(row(TableRows.key(eventId), COMPLETED, policy.completedExpiry(clock.instant())));
        claims.remove(eventId);
    }

    @Override
    public void release(String eventId) {
        String token = claims.remove(eventId);
        if (token == null) {
            return; // not claimed here: nothing to give back
        }
        // Only this instance's own claim, and only if it did not change since it was read: when it expired and
        // another instance took it over, it is theirs now.
        rows.get(PARTITION, TableRows.key(eventId))
                .filter(row -> IN_PROGRESS.equals(row.getProperty(STATUS)) && token.equals(row.getProperty(CLAIM)))
                .ifPresent(rows::deleteIfUnchanged);
    }

    /** A claim whose handler died, or a completed id remembered longer than the event source redelivers. */
    private static boolean isTakeable(TableEntity row, Instant now) {
        Object expiresAt = row.getProperty(EXPIRES_AT);
        return expiresAt instanceof Long millis && !now.isBefore(Instant.ofEpochMilli(millis));
    }

    private TableEntity claim(String key, String token, Instant now) {
        return row(key, IN_PROGRESS, policy.claimExpiry(now)).addProperty(CLAIM, token);
    }

    private static TableEntity row(String key, String status, Instant expiresAt) {
        return new TableEntity(PARTITION, key).addProperty(STATUS, status).addProperty(EXPIRES_AT, expiresAt.toEpochMilli());
    }
}
