package dev.relaylink.azure.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.azure.fake.ArmFake;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapters, wired from a link spec as the function app does, do the Azure half's work end to end against the fake. */
class AzureHalfEndToEndTest {
    private static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
    private static final String AKS_VNET = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/aks-rg/providers/Microsoft.Network/virtualNetworks/aks-vnet";
    private static final LinkSpec.Workload CHECKOUT = new LinkSpec.Workload("payments", "checkout", "relay-mtls");
    // Only the parts the Azure adapters read; the reader validates a full spec.
    private static final LinkSpec SPEC = new LinkSpec("relay-link-demo", null, null,
            new LinkSpec.Azure(SUBSCRIPTION, "relay-link-rg", "relay-forwarder-pls", Set.of(SUBSCRIPTION), Set.of(AKS_VNET),
                    new LinkSpec.PrivateDns("eks.internal.example", "relay"), new LinkSpec.KeyVault("relay-link-kv", "relay-client-ca"), "relay-aks"),
            List.of(CHECKOUT), null, TestPki.TRUST_DOMAIN);

    private final Instant now = Instant.now();
    private final FakeAzure azure = new FakeAzure();

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void bootstrapIssueImportApproveAndPublishDns() {
        ArmFake arm = azure.fake.arm();
        String pls = arm.privateLinkService(SUBSCRIPTION, "relay-link-rg", "relay-forwarder-pls");
        String endpoint = arm.privateEndpoint(SUBSCRIPTION, "aks-rg", "relay-pe", AKS_VNET, "10.240.0.7");
        String connection = arm.requestConnection(pls, "relay-pe.1111", endpoint);
        arm.privateDnsZone(SUBSCRIPTION, "relay-link-rg", "eks.internal.example");
        String vault = azure.fake.vaultUrl();
        LinkSpec.Azure az = SPEC.azure();
        KeyVaultOwnedCa clientCa = KeyVaultOwnedCa.of(azure.clients.keys(vault), azure.clients.secrets(vault), az.keyVault().clientCaKey());
        KeyVaultClientCertificateStore clientCertificates = new KeyVaultClientCertificateStore(
                azure.clients.certificates(vault), azure.clients.secrets(vault), SPEC.trustDomain(), SPEC.workloads());
        ArmPrivateLinkService privateLinkService = new ArmPrivateLinkService(azure.clients, az.subscriptionId(), az.resourceGroup(), az.privateLinkService());
        ArmPrivateDns privateDns = new ArmPrivateDns(azure.clients, az.subscriptionId(), az.resourceGroup());

        CertificateAuthority ca = clientCa.create("relay-link client CA", now, Duration.ofDays(365));
        SpiffeId checkout = CHECKOUT.spiffeId(SPEC.trustDomain());
        clientCertificates.importVersion(checkout, TestPki.issueClient(ca, checkout, now, Duration.ofDays(7)));
        PrivateEndpointConnection pending = privateLinkService.connection("relay-pe.1111").orElseThrow();
        privateLinkService.approve(pending.name(), "allowed by relay-link");
        privateDns.setARecord("eks.internal.example", "relay", Set.of(pending.privateIp()));

        Credential workload = clientCertificates.current(checkout).orElseThrow();
        ChainValidator.validate(workload.chain(), TrustBundle.of(clientCa.certificates()), now);
        assertThat(azure.fake.keyVault().certificateVersions(CHECKOUT.keyVaultCertificateName())).hasSize(1);
        assertThat(arm.connectionState(connection).path("status").asText()).isEqualTo("Approved");
        assertThat(privateDns.aRecord("eks.internal.example", "relay")).containsExactly("10.240.0.7");
    }
}
