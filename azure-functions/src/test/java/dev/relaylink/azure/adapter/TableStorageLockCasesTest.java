package dev.relaylink.azure.adapter;

import dev.relaylink.azure.emulator.Azurite;
import dev.relaylink.port.LinkLock;
import dev.relaylink.testing.LinkLockCases;
import org.junit.jupiter.api.AfterEach;

/** The link lock cases both clouds share, against Table storage (Azurite): each lock object is one function app instance. */
class TableStorageLockCasesTest extends LinkLockCases {
    private final FakeAzure azure = FakeAzure.withAzurite();
    private final String table = Azurite.uniqueTable("relaylinklock");

    @AfterEach
    void stop() {
        azure.close();
    }

    @Override
    protected LinkLock instance() {
        return new TableStorageLinkLock(azure.clients.table(azure.azurite().tableServiceUri(), table), clock);
    }
}
