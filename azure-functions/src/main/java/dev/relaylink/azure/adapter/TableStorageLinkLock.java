package dev.relaylink.azure.adapter;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import dev.relaylink.policy.LinkLeases;
import dev.relaylink.port.LinkLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The per-link lock as one row of the link's state table (partition {@value #PARTITION}, row key
 * the link name), shared by every instance of the function app, kept by {@link LinkLeases}' rule:
 * taken by an insert when absent, or by a replace conditional on the ETag of an ended lease; given
 * back by a delete of the row while it is this lease's, conditional on its ETag.
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
        LinkLeases.Holder lease = LinkLeases.take(now, ttl);
        TableEntity mine = new TableEntity(PARTITION, key).addProperty(OWNER, lease.owner()).addProperty(EXPIRES_AT, lease.expiresAt().toEpochMilli());
        boolean acquired = rows.insert(mine);
        if (!acquired) {
            Optional<TableEntity> held = rows.get(PARTITION, key);
            if (held.isEmpty()) {
                acquired = rows.insert(mine); // released in between
            } else if (holder(held.get()).filter(h -> LinkLeases.mayReplace(h, now)).isPresent()) {
                acquired = rows.replaceIfUnchanged(mine, held.get().getETag());
            }
        }
        return acquired ? Optional.of(() -> release(key, lease.owner())) : Optional.empty();
    }

    /** Deletes the lock row only while it is this lease's (same owner, unchanged since read). */
    private void release(String key, String owner) {
        rows.get(PARTITION, key).filter(row -> holder(row).filter(h -> LinkLeases.mayRelease(h, owner)).isPresent())
                .ifPresent(rows::deleteIfUnchanged);
    }

    /** The lease a row holds; empty when it is not one (no owner or no readable end). */
    private static Optional<LinkLeases.Holder> holder(TableEntity row) {
        return row.getProperty(OWNER) instanceof String owner && row.getProperty(EXPIRES_AT) instanceof Long millis
                ? Optional.of(new LinkLeases.Holder(owner, Instant.ofEpochMilli(millis))) : Optional.empty();
    }
}
