package dev.relaylink.azure.adapter;

import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.azure.fake.FixedTokenCredential;

/** The fake, a credential and AzureClients pointed at it: what each adapter test starts from. */
final class FakeAzure implements AutoCloseable {
    final AzureFake fake = AzureFake.start();
    final FixedTokenCredential credential = new FixedTokenCredential();
    final AzureClients clients = AzureClients.forEndpoint(credential, fake.clientTrust(), fake.resourceManagerEndpoint());

    @Override
    public void close() {
        fake.close();
    }
}
