package dev.relaylink.azure.adapter;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The few Table Storage operations relay-link's claims and leases are made of, each one atomic on
 * the service: insert only if absent (409 otherwise), replace or delete only if unchanged since it
 * was read (If-Match with the row's ETag, 412 otherwise). The table is created on first use.
 *
 * <p>ETags are always taken from a row as read (its {@code odata.etag}), never from a write's
 * response header: the SDK strips one quote from a weak header ETag ({@code W/"datetime'...'"}), and
 * that value would never match again. A holder therefore recognises its row by a token it wrote.
 */
final class TableRows {
    static final String ETAG = "odata.etag";
    private static final int CONFLICT = 409;
    private static final int PRECONDITION_FAILED = 412;
    private static final int NOT_FOUND = 404;
    /** Keys are at most 1 KiB; event ids longer than this are hashed. */
    private static final int MAX_KEY = 512;

    private final TableClient table;

    TableRows(TableClient table) {
        this.table = table;
    }

    /** Inserts {@code row} unless its key exists; whether it did. */
    boolean insert(TableEntity row) {
        try {
            table.createEntityWithResponse(row, null, null);
            return true;
        } catch (TableServiceException e) {
            if (status(e) == CONFLICT) {
                return false;
            }
            if (status(e) == NOT_FOUND && TableErrorCode.TABLE_NOT_FOUND.equals(code(e))) {
                createTable();
                return insert(row);
            }
            throw e;
        }
    }

    Optional<TableEntity> get(String partitionKey, String rowKey) {
        try {
            return Optional.of(table.getEntity(partitionKey, rowKey));
        } catch (TableServiceException e) {
            if (status(e) == NOT_FOUND) {
                return Optional.empty(); // no row, or no table yet
            }
            throw e;
        }
    }

    /** Replaces the row if it still has {@code etag} (as read); false when it changed or went away. */
    boolean replaceIfUnchanged(TableEntity row, String etag) {
        row.addProperty(ETAG, etag);
        try {
            table.updateEntityWithResponse(row, TableEntityUpdateMode.REPLACE, true, null, null);
            return true;
        } catch (TableServiceException e) {
            if (status(e) == PRECONDITION_FAILED || status(e) == NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Inserts or replaces, whatever is there. */
    void upsert(TableEntity row) {
        try {
            table.upsertEntityWithResponse(row, TableEntityUpdateMode.REPLACE, null, null);
        } catch (TableServiceException e) {
            if (status(e) == NOT_FOUND && TableErrorCode.TABLE_NOT_FOUND.equals(code(e))) {
                createTable();
                table.upsertEntityWithResponse(row, TableEntityUpdateMode.REPLACE, null, null);
                return;
            }
            throw e;
        }
    }

    /** Deletes {@code row} (as read) if it is unchanged since; false when it changed or is gone. */
    boolean deleteIfUnchanged(TableEntity row) {
        try {
            table.deleteEntityWithResponse(row, true, null, null);
            return true;
        } catch (TableServiceException e) {
            if (status(e) == PRECONDITION_FAILED || status(e) == NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A row key for any id: characters keys may not hold ({@code / \\ # ?}, controls) and {@code %}
     * are percent-encoded, so distinct ids stay distinct; very long ids are hashed.
     */
    static String key(String id) {
        StringBuilder key = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = c > 0x20 && c < 0x7f && c != '/' && c != '\\' && c != '#' && c != '?' && c != '%' && c != '\'';
            key.append(plain ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        return key.length() <= MAX_KEY ? key.toString() : "sha256-" + sha256(id);
    }

    private void createTable() {
        try {
            table.createTable();
        } catch (TableServiceException e) {
            if (status(e) != CONFLICT) {
                throw e; // another instance created it meanwhile: fine
            }
        }
    }

    private static int status(TableServiceException e) {
        return e.getResponse().getStatusCode();
    }

    private static TableErrorCode code(TableServiceException e) {
        return e.getValue() == null ? null : e.getValue().getErrorCode();
    }

    private static String sha256(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
