package dev.relaylink.azure.adapter;

import dev.relaylink.azure.emulator.Azurite;
import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.azure.fake.FixedTokenCredential;
import java.util.List;

/**
 * The fake (Key Vault, ARM), Azurite (Table Storage), a credential and AzureClients pointed at
 * both: what each adapter test starts from.
 */
final class FakeAzure implements AutoCloseable {
    final AzureFake fake = AzureFake.start();
    final Azurite azurite = Azurite.fromEnvironment();
    final FixedTokenCredential credential = new FixedTokenCredential();
    final AzureClients clients = AzureClients.forEndpoint(credential, fake.clientTrust(List.of(azurite.certificate())),
            fake.resourceManagerEndpoint());

    @Override
    public void close() {
        fake.close();
    }
}
