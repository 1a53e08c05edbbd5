package dev.relaylink.azure.adapter;

import dev.relaylink.spec.LinkSpec;

/**
 * The Azure half's adapters for one link, wired from its spec: the client CA and the workloads'
 * certificates in the spec's Key Vault, the Private Link Service and the private DNS zone in the
 * spec's subscription and resource group.
 */
public record AzureAdapters(KeyVaultCaStore clientCa, KeyVaultClientCertificateStore clientCertificates,
                            ArmPrivateLinkService privateLinkService, ArmPrivateDns privateDns) {

    public static AzureAdapters of(AzureClients clients, LinkSpec spec) {
        LinkSpec.Azure azure = spec.azure();
        String vaultUrl = clients.vaultUrl(azure.keyVault().name());
        return new AzureAdapters(
                KeyVaultCaStore.of(clients.keys(vaultUrl), clients.secrets(vaultUrl), azure.keyVault().clientCaKey()),
                new KeyVaultClientCertificateStore(clients.certificates(vaultUrl), clients.secrets(vaultUrl), spec.trustDomain(), spec.workloads()),
                new ArmPrivateLinkService(clients, azure.subscriptionId(), azure.resourceGroup(), azure.privateLinkService()),
                new ArmPrivateDns(clients, azure.subscriptionId(), azure.resourceGroup()));
    }
}
