package dev.relaylink.azure.adapter;

import dev.relaylink.azure.emulator.Azurite;
import dev.relaylink.port.IdempotencyStore;
import dev.relaylink.testing.IdempotencyStoreCases;
import org.junit.jupiter.api.AfterEach;

/** The claim cases both clouds share, against Table storage (Azurite): each store object is one function app instance. */
class TableStorageClaimCasesTest extends IdempotencyStoreCases {
    private final FakeAzure azure = FakeAzure.withAzurite();
    private final String table = Azurite.uniqueTable("relaylinkclaims");

    @AfterEach
    void stop() {
        azure.close();
    }

    @Override
    protected IdempotencyStore instance() {
        return new TableStorageIdempotencyStore(azure.clients.table(azure.azurite().tableServiceUri(), table), clock, POLICY);
    }
}
