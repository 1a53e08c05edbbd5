package dev.relaylink.azure.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.azure.adapter.AwsTrustExchange;
import dev.relaylink.azure.adapter.AzureClients;
import dev.relaylink.azure.adapter.TableStorageIdempotencyStore;
import dev.relaylink.azure.adapter.TableStorageLinkLock;
import dev.relaylink.azure.emulator.Azurite;
import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.azure.fake.FixedTokenCredential;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.MockCluster;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The Azure half of the example link on local stand-ins: the Azure REST fake (Key Vault and ARM,
 * reached by the real SDK clients through the adapters), Azurite for the claims and the lock (a
 * table of this harness's own), and a fabric8 mock API server in CRUD mode for AKS. The link is wired exactly as in Azure ({@link AzureSettings#link}), only the endpoints differ.
 */
final class AzureHarness implements AutoCloseable {
    static final LinkSpec SPEC = TestSpecs.example();
    static final String SERVER_CA_SECRET = AzureSettings.DEFAULT_SERVER_CA_SECRET;

    final Instant now = Instant.now();
    final TestPki pki = new TestPki(now);
    final AzureFake fake = AzureFake.start();
    final Azurite azurite = Azurite.fromEnvironment();
    final String stateTable = Azurite.uniqueTable(AzureSettings.DEFAULT_STATE_TABLE);
    final AzureClients clients = AzureClients.forEndpoint(new FixedTokenCredential(), fake.clientTrust(List.of(azurite.certificate())),
            fake.resourceManagerEndpoint());
    final MockCluster aks = new MockCluster();
    final String privateLinkServiceId = fake.arm().privateLinkService(TestSpecs.SUBSCRIPTION, "relay-link-rg", "relay-forwarder-pls");
    final String dnsZoneId = fake.arm().privateDnsZone(TestSpecs.SUBSCRIPTION, "relay-link-rg", SPEC.azure().privateDns().zone());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final JsonLines lines = new JsonLines(new PrintStream(out, true, StandardCharsets.UTF_8));
    /** The AWS side's CA secrets: the server CA it publishes, the client CAs published to it. */
    final InMemoryTrustExchange aws = new InMemoryTrustExchange(List.of(pki.serverCa.certificate()));
    final AzureFunctions link;

    AzureHarness() {
        // The server CA bundle mirrored from AWS: public trust material the workloads' secrets carry.
        clients.secrets(fake.vaultUrl()).setSecret(SERVER_CA_SECRET, Pem.write(pki.serverCa.certificate()));
        link = AzureFunctions.create(settings(), clients, aks.client, () -> aws, lines, Clock.systemUTC());
    }

    private AzureSettings settings() {
        return new AzureSettings(SPEC, fake.vaultUrl(), SERVER_CA_SECRET, "unused", "unused", AWS_UNUSED, azurite.tableServiceUri(), stateTable);
    }

    /** Where a real trust exchange would go; the harness uses {@link #aws} instead. */
    static final AwsTrustExchange.Settings AWS_UNUSED = new AwsTrustExchange.Settings(software.amazon.awssdk.regions.Region.EU_WEST_1,
            Optional.empty(), "arn:aws:iam::111122223333:role/unused", "unused-client-ca", "unused-server-ca");

    /** The link exactly as {@link AzureSettings#link()} wires it in Azure (the trust exchange federated to AWS), on this fake and AKS. */
    AzureFunctions linkFrom(AzureSettings settings) {
        return AzureFunctions.create(settings, clients, aks.client, lines, Clock.systemUTC());
    }

    /** Another host process (or instance) on the same clouds: the same vault, ARM, cluster and state table. */
    AzureFunctions restartedHost(ClusterSecrets aksPort) {
        return restartedHost(aksPort, Clock.systemUTC());
    }

    /** As {@link #restartedHost(ClusterSecrets)}, its claims and lock on {@code clock} (tests move it as the platform's retries come). */
    AzureFunctions restartedHost(ClusterSecrets aksPort, Clock clock) {
        var table = clients.table(azurite.tableServiceUri(), stateTable);
        return new AzureFunctions(SPEC, AzureFunctions.side(settings(), clients, () -> aksPort, () -> new dev.relaylink.k8s.KubernetesNetworkPolicies(aks.client), () -> aws, clock),
                new TableStorageIdempotencyStore(table, clock, AzureSettings.CLAIMS), new TableStorageLinkLock(table, clock),
                lines, clock);
    }

    /**
     * Creates the client CA in Key Vault and gives {@code workload} the certificate and AKS secret it
     * would hold five days into its seven: the one Key Vault reports as near expiry.
     */
    Credential bootstrap(LinkSpec.Workload workload) {
        Instant issued = Instant.now().minus(Duration.ofDays(5));
        if (link.ports().clientCa().current().isEmpty()) {
            link.ports().clientCa().create("relay-link client CA", issued.minus(Duration.ofDays(1)), SPEC.certificates().caLifetime());
        }
        SpiffeId id = workload.spiffeId(SPEC.trustDomain());
        KeyPair key = Keys.generateP256();
        X509Certificate leaf = link.ports().clientCa().current().orElseThrow()
                .issueClient(key.getPublic(), id, issued, SPEC.certificates().client().lifetime());
        link.ports().clientCertificates().importVersion(id, new Credential(key.getPrivate(), List.of(leaf)));
        link.clientRotation().writeSecret(id);
        return link.ports().clientCertificates().current(id).orElseThrow();
    }

    /** Key Vault's versions of the workload's certificate, oldest first. */
    List<String> versions(LinkSpec.Workload workload) {
        return fake.keyVault().certificateVersions(workload.keyVaultCertificateName());
    }

    /** Requests that changed something in the fake (accepted, any method but GET) since the start; the claims and lock are in Azurite. */
    List<String> azureWrites() {
        return fake.requests().stream().filter(r -> !r.method().equals("GET") && r.status() < 300)
                .map(r -> r.method() + " " + r.path()).toList();
    }

    /** The JSON lines (audit records and metrics) the link wrote so far. */
    List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                try {
                    lines.add(JsonLines.JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return lines;
    }

    List<JsonNode> audit() {
        return lines().stream().filter(l -> l.path("type").asText().equals("audit")).toList();
    }

    List<JsonNode> metrics(String name) {
        return lines().stream().filter(l -> l.path("type").asText().equals("metric") && l.path("metric").asText().equals(name)).toList();
    }

    /** A Secret as it is in the AKS mock, if it exists. */
    Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(aks.client.secrets().inNamespace(namespace).withName(name).get());
    }

    /** The credential in a workload's AKS secret, and its {@code ca.crt}. */
    static Credential credentialIn(Secret secret) {
        return Credential.fromPem(decode(secret, "tls.crt"), decode(secret, "tls.key"));
    }

    static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        aks.close();
        fake.close();
    }
}
