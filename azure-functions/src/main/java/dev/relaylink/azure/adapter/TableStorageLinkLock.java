package dev.relaylink.azure.adapter;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import dev.relaylink.port.LinkLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-link lock as one row of the link's state table (partition {@value #PARTITION}, row key
 * the link name), shared by every instance of the function app: taken by an insert when absent, or
 * by a replace conditional on the ETag of an expired lease; given back by a delete of the row
 * while it names this lease's owner, conditional on its ETag, so a holder whose lease ran out
 * never removes its successor's.
 */
public final class TableStorageLinkLock implements LinkLock {
    static final String PARTITION = "lock";
    static final String OWNER = "owner";
    static final String EXPIRES_AT = "expiresAt";

    private final TableRows rows;
    private final Clock clock;

    public TableStorageLinkLock(TableClient table, Clock clock) {
        this.rows = new TableRows(table);
        this.clock = clock;
    }

    @Override
    public Optional<Lease> tryAcquire(String linkName, Duration ttl) {
        String key = TableRows.key(linkName);
        Instant now = clock.instant();
        String owner = UUID.randomUUID().toString();
        TableEntity mine = new TableEntity(PARTITION, key).addProperty(OWNER, owner).addProperty(EXPIRES_AT, now.plus(ttl).toEpochMilli());
        boolean acquired = rows.insert(mine);
        if (!acquired) {
            Optional<TableEntity> held = rows.get(PARTITION, key);
            if (held.isEmpty()) {
                acquired = rows.insert(mine); // released in between
            } else if (hasExpired(held.get(), now)) {
                acquired = rows.replaceIfUnchanged(mine, held.get().getETag());
            }
        }
        return acquired ? Optional.of(() -> release(key, owner)) : Optional.empty();
    }

    /** Deletes the lock row only while it is this lease's (same owner, unchanged since read). */
    private void release(String key, String owner) {
        rows.get(PARTITION, key).filter(row -> owner.equals(row.getProperty(OWNER))).ifPresent(rows::deleteIfUnchanged);
    }

    private static boolean hasExpired(TableEntity row, Instant now) {
        Object expiresAt = row.getProperty(EXPIRES_AT);
        return expiresAt instanceof Long millis && !now.isBefore(Instant.ofEpochMilli(millis));
    }
}
