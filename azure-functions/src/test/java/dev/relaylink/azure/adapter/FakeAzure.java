package dev.relaylink.azure.adapter;

import dev.relaylink.azure.emulator.Azurite;
import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.azure.fake.FixedTokenCredential;
import java.util.List;
import java.util.Optional;

/**
 * The fake (Key Vault, ARM), a credential and AzureClients pointed at it, and for the Table Storage
 * tests Azurite too: what each adapter test starts from.
 */
final class FakeAzure implements AutoCloseable {
    final AzureFake fake = AzureFake.start();
    final Optional<Azurite> storage;
    final FixedTokenCredential credential = new FixedTokenCredential();
    final AzureClients clients;

    /** Key Vault and ARM only. */
    FakeAzure() {
        this(Optional.empty());
    }

    private FakeAzure(Optional<Azurite> storage) {
        this.storage = storage;
        this.clients = AzureClients.forEndpoint(credential, fake.clientTrust(storage.map(a -> List.of(a.certificate())).orElse(List.of())),
                fake.resourceManagerEndpoint());
    }

    /** With Table Storage on the running Azurite (the clients trust its certificate too). */
    static FakeAzure withAzurite() {
        return new FakeAzure(Optional.of(Azurite.fromEnvironment()));
    }

    Azurite azurite() {
        return storage.orElseThrow(() -> new IllegalStateException("made without Azurite: use FakeAzure.withAzurite()"));
    }

    @Override
    public void close() {
        fake.close();
    }
}
