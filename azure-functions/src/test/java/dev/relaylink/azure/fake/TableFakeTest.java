package dev.relaylink.azure.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Table service fake answers the Tables SDK as the service does: the SDK turns its answers into
 * the same results and the same TableServiceException status and error codes an application sees.
 */
class TableFakeTest {
    private final AzureFake fake = AzureFake.start();
    private final TableClient table = new TableClientBuilder().endpoint(fake.tableServiceUri()).tableName("claims")
            .credential(new FixedTokenCredential())
            .httpClient(new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(fake.clientTrust())).build())
            .buildClient();

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void entitiesAreInsertedOnceReadAndWrittenOnlyWithTheirCurrentEtag() {
        fails(() -> table.createEntity(new TableEntity("p", "r")), 404, TableErrorCode.TABLE_NOT_FOUND);
        table.createTable();
        fails(table::createTable, 409, TableErrorCode.TABLE_ALREADY_EXISTS);

        table.createEntity(new TableEntity("p", "r").addProperty("n", 1L).addProperty("s", "a"));
        fails(() -> table.createEntity(new TableEntity("p", "r")), 409, TableErrorCode.ENTITY_ALREADY_EXISTS);
        TableEntity read = table.getEntity("p", "r");
        assertThat(read.getProperty("n")).isEqualTo(1L);
        assertThat(read.getProperty("s")).isEqualTo("a");
        assertThat(read.getETag()).startsWith("W/\"datetime'");
        fails(() -> table.getEntity("p", "other"), 404, TableErrorCode.RESOURCE_NOT_FOUND);

        // a replace with the ETag as read wins once; the same ETag again is stale
        TableEntity replacement = new TableEntity("p", "r").addProperty("s", "b").addProperty("odata.etag", read.getETag());
        table.updateEntityWithResponse(replacement, TableEntityUpdateMode.REPLACE, true, null, null);
        fails(() -> table.updateEntityWithResponse(replacement, TableEntityUpdateMode.REPLACE, true, null, null), 412,
                TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED);
        TableEntity replaced = table.getEntity("p", "r");
        assertThat(replaced.getProperties()).doesNotContainKey("n").containsEntry("s", "b");

        // merge keeps what it does not name; without a condition it applies to whatever is there
        table.updateEntity(new TableEntity("p", "r").addProperty("m", true), TableEntityUpdateMode.MERGE);
        assertThat(table.getEntity("p", "r").getProperties()).containsEntry("s", "b").containsEntry("m", true);
        fails(() -> table.updateEntityWithResponse(new TableEntity("p", "gone").addProperty("odata.etag", "W/\"x\""),
                TableEntityUpdateMode.REPLACE, true, null, null), 404, TableErrorCode.RESOURCE_NOT_FOUND);
        table.upsertEntity(new TableEntity("p", "new").addProperty("s", "c"));
        assertThat(table.getEntity("p", "new").getProperty("s")).isEqualTo("c");

        // a delete with a stale ETag is refused, with the current one it goes through
        TableEntity stale = replaced;
        fails(() -> table.deleteEntityWithResponse(stale, true, null, null), 412, TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED);
        table.deleteEntityWithResponse(table.getEntity("p", "r"), true, null, null);
        fails(() -> table.getEntity("p", "r"), 404, TableErrorCode.RESOURCE_NOT_FOUND);
        assertThat(fake.tables().row("claims", "p", "new")).isPresent();
    }

    @Test
    void aRequestWithoutATokenIsRefused() {
        TableClient anonymous = new TableClientBuilder().endpoint(fake.tableServiceUri()).tableName("claims")
                .sasToken("sv=2019-02-02&sig=none")
                .httpClient(new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(fake.clientTrust())).build())
                .buildClient();
        fails(anonymous::createTable, 401, null);
        assertThat(fake.tables().tableNames()).isEmpty();
    }

    private static void fails(Runnable call, int status, TableErrorCode code) {
        Consumer<TableServiceException> expected = e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(status);
            if (code != null) {
                assertThat(e.getValue().getErrorCode()).isEqualTo(code);
            }
        };
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TableServiceException.class, expected);
    }
}
