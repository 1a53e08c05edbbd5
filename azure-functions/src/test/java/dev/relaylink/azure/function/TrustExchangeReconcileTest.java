package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relaylink.azure.fake.FixedTokenCredential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Reconcile timer with the trust exchange wired as in Azure (settings, Entra ID token from the
 * app's credential, STS, Secrets Manager) against the AWS emulator: the client CA reaches the AWS
 * secret the EKS side reads, and the server CAs the AWS side publishes reach Key Vault and every
 * workload's secret. Skipped without AWS_ENDPOINT_URL.
 */
class TrustExchangeReconcileTest {
    private final String prefix = "relay-link-" + UUID.randomUUID().toString().substring(0, 8);
    private final X509Certificate awsServerCa = new TestPki(Instant.now()).serverCa.certificate();
    private AzureHarness azure;
    private SecretsManagerClient admin;
    private AzureSettings settings;

    @BeforeEach
    void start() {
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        assumeTrue(endpoint != null && !endpoint.isBlank(), "AWS_ENDPOINT_URL is not set: start the AWS emulator (scripts/test does)");
        String region = System.getenv().getOrDefault("AWS_REGION", "eu-west-1");
        admin = SecretsManagerClient.builder().region(Region.of(region)).endpointOverride(URI.create(endpoint))
                .httpClient(UrlConnectionHttpClient.create()).build();
        // What the AWS stack and its first reconcile leave: an empty client CA secret, the server CA published.
        admin.createSecret(r -> r.name(prefix + "/server-tls-client-ca"));
        admin.createSecret(r -> r.name(prefix + "/server-tls-ca").secretString(Pem.write(List.of(awsServerCa))));
        admin.createSecret(r -> r.name(prefix + "/server-tls-client-ca-in-gateway"));
        admin.createSecret(r -> r.name(prefix + "/server-tls-ca-in-workloads"));
        azure = new AzureHarness();
        Map<String, String> appSettings = new java.util.HashMap<>(Map.of(
                AzureSettings.SPEC_FILE, Path.of("..", "examples", "link.yaml").toString(),
                AzureSettings.VAULT_URL, azure.fake.vaultUrl(),
                AzureSettings.AKS_SERVER, "https://unused.example:443",
                AzureSettings.AKS_CA, Pem.write(awsServerCa),
                // in the emulator's default account, which holds the secrets: the role's account is where its calls go
                AzureSettings.AWS_ROLE_ARN, "arn:aws:iam::123456789012:role/relay-link-demo-azure-trust-exchange",
                AzureSettings.AWS_REGION, region,
                AzureSettings.AWS_ENDPOINT_URL, endpoint,
                AzureSettings.AWS_CLIENT_CA_SECRET, prefix + "/server-tls-client-ca",
                AzureSettings.AWS_SERVER_CA_SECRET, prefix + "/server-tls-ca",
                AzureSettings.TABLE_SERVICE_URI, azure.azurite.tableServiceUri()));
        appSettings.put(AzureSettings.STATE_TABLE, azure.stateTable);
        settings = AzureSettings.from(appSettings::get);
    }

    @AfterEach
    void stop() {
        if (azure != null) {
            azure.close();
            admin.close();
        }
    }

    @Test
    void theTimerPublishesTheClientCaToAwsAndMirrorsTheServerCasFromIt() {
        AzureFunctions link = azure.linkFrom(settings);
        ReconcileFunction function = new ReconcileFunction(() -> link);

        function.run("{}", new TestContext(ReconcileFunction.NAME));

        List<X509Certificate> clientCas = link.ports().clientCaCertificates().certificates();
        assertThat(clientCas).hasSize(1);
        // the client CA certificates, then the client CA's revocation list (empty so far), signed with its Key Vault key
        String published = current(prefix + "/server-tls-client-ca");
        assertThat(Pem.blocksOf(published, Pem.CERTIFICATE)).isEqualTo(Pem.write(clientCas));
        java.security.cert.X509CRL crl = Pem.readRevocationList(Pem.blocksOf(published, Pem.CRL));
        assertThatCode(() -> crl.verify(clientCas.get(0).getPublicKey())).doesNotThrowAnyException();
        assertThat(crl.getRevokedCertificates()).isNull();
        assertThat(azure.fake.keyVault().secretValue(AzureHarness.SERVER_CA_SECRET)).contains(Pem.write(List.of(awsServerCa)));
        for (LinkSpec.Workload workload : AzureHarness.SPEC.workloads()) {
            assertThat(AzureHarness.decode(azure.secret(workload.namespace(), workload.secretName()).orElseThrow(), "ca.crt"))
                    .isEqualTo(TrustBundle.of(List.of(awsServerCa)).pem());
        }
        List<String> actions = azure.audit().stream().map(a -> a.path("action").asText()).toList();
        assertThat(actions).containsSubsequence("CreateCa", "PublishClientCas", "MirrorServerCas", "PublishRevocationList", "RotateClientCertificate");
        FixedTokenCredential credential = (FixedTokenCredential) azure.clients.credential();
        assertThat(credential.requests()).anySatisfy(r -> assertThat(r.scopes()).containsExactly("api://AzureADTokenExchange/.default"));

        // the next tick: both copies current, no new version on either side
        int awsVersions = admin.listSecretVersionIds(r -> r.secretId(prefix + "/server-tls-client-ca")).versions().size();
        int vaultVersions = azure.fake.keyVault().secretVersions(AzureHarness.SERVER_CA_SECRET).size();
        function.run("{}", new TestContext(ReconcileFunction.NAME));
        assertThat(azure.audit()).last().satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("NO_CHANGE"));
        assertThat(admin.listSecretVersionIds(r -> r.secretId(prefix + "/server-tls-client-ca")).versions()).hasSize(awsVersions);
        assertThat(azure.fake.keyVault().secretVersions(AzureHarness.SERVER_CA_SECRET)).hasSize(vaultVersions);
    }

    private String current(String secretId) {
        return admin.getSecretValue(r -> r.secretId(secretId).versionStage("AWSCURRENT")).secretString();
    }
}
