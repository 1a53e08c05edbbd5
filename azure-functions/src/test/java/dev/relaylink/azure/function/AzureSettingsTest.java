package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.azure.fake.FixedTokenCredential;
import dev.relaylink.pki.Pem;
import dev.relaylink.spec.SpecException;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class AzureSettingsTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "link.yaml");
    private static final String ROLE = "arn:aws:iam::111122223333:role/relay-link-demo-azure-trust-exchange";
    private final String caPem = Pem.write(new TestPki(Instant.now()).serverCa.certificate());

    @Test
    void readsTheSpecFromTheSettingAndDefaultsTheRest() throws Exception {
        AzureSettings settings = AzureSettings.from(settings(Map.of(AzureSettings.SPEC, Files.readString(EXAMPLE)))::get);

        assertThat(settings.spec()).isEqualTo(TestSpecs.example());
        assertThat(settings.vaultUrl()).isEqualTo("https://relay-link-kv.vault.azure.net");
        assertThat(settings.serverCaSecret()).isEqualTo(AzureSettings.DEFAULT_SERVER_CA_SECRET);
        assertThat(settings.aksServer()).isEqualTo("https://relay-aks.hcp.westeurope.azmk8s.io:443");
        assertThat(settings.aksCaPem()).isEqualToIgnoringWhitespace(caPem);
        // the trust exchange goes to the spec's region and the secrets the AWS stack names after the server certificate's
        assertThat(settings.aws().roleArn()).isEqualTo(ROLE);
        assertThat(settings.aws().region()).isEqualTo(Region.EU_WEST_1);
        assertThat(settings.aws().endpoint()).isEmpty();
        assertThat(settings.aws().clientCaSecretId()).isEqualTo("relay-link/server-tls-client-ca");
        assertThat(settings.aws().serverCaSecretId()).isEqualTo("relay-link/server-tls-ca");
        assertThat(settings.tableServiceUri()).isEqualTo("https://relaylinkfunctions.table.core.windows.net");
        assertThat(settings.stateTable()).isEqualTo("relaylinkstate");
    }

    @Test
    void theStateTableIsInTheHostsStorageAccountUnlessNamed() {
        Map<String, String> host = settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString()));
        host.remove(AzureSettings.HOST_STORAGE_ACCOUNT);
        host.put(AzureSettings.HOST_STORAGE_TABLE_URI, "https://hoststore.table.core.windows.net");
        assertThat(AzureSettings.from(host::get).tableServiceUri()).isEqualTo("https://hoststore.table.core.windows.net");

        AzureSettings named = AzureSettings.from(settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString(),
                AzureSettings.TABLE_SERVICE_URI, "https://linkstate.table.core.windows.net", AzureSettings.STATE_TABLE, "relaylinkdemo"))::get);
        assertThat(named.tableServiceUri()).isEqualTo("https://linkstate.table.core.windows.net");
        assertThat(named.stateTable()).isEqualTo("relaylinkdemo");

        Map<String, String> none = settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString()));
        none.remove(AzureSettings.HOST_STORAGE_ACCOUNT);
        assertThatThrownBy(() -> AzureSettings.from(none::get)).hasMessageContaining(AzureSettings.TABLE_SERVICE_URI)
                .hasMessageContaining(AzureSettings.HOST_STORAGE_ACCOUNT);
        assertThatThrownBy(() -> AzureSettings.from(settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString(),
                AzureSettings.TABLE_SERVICE_URI, "http://linkstate.table.core.windows.net"))::get)).hasMessageContaining("https");
        assertThatThrownBy(() -> AzureSettings.from(settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString(),
                AzureSettings.STATE_TABLE, "relay-link-state"))::get)).hasMessageContaining(AzureSettings.STATE_TABLE);
        assertThatThrownBy(() -> AzureSettings.from(settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString(),
                AzureSettings.HOST_STORAGE_ACCOUNT, "Not_An_Account"))::get)).hasMessageContaining(AzureSettings.HOST_STORAGE_ACCOUNT);
    }

    @Test
    void theTrustExchangeTakesTheStacksSecretArnsAnotherRegionAndAnEmulator() {
        String arn = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:relay-link-demo/server-tls-";
        AzureSettings settings = AzureSettings.from(settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString(),
                AzureSettings.AWS_REGION, "eu-central-1", AzureSettings.AWS_CLIENT_CA_SECRET, arn + "client-ca-AbCdEf",
                AzureSettings.AWS_SERVER_CA_SECRET, arn + "ca-AbCdEf", AzureSettings.AWS_ENDPOINT_URL, "http://127.0.0.1:5000"))::get);

        assertThat(settings.aws().region()).isEqualTo(Region.EU_CENTRAL_1);
        assertThat(settings.aws().clientCaSecretId()).isEqualTo(arn + "client-ca-AbCdEf");
        assertThat(settings.aws().serverCaSecretId()).isEqualTo(arn + "ca-AbCdEf");
        assertThat(settings.aws().endpoint()).contains(URI.create("http://127.0.0.1:5000"));
    }

    @Test
    void takesASpecFileAndTheClusterCaBase64EncodedAsKubeconfigHasIt() {
        String encoded = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
        AzureSettings settings = AzureSettings.from(settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString(), AzureSettings.AKS_CA, encoded,
                AzureSettings.VAULT_URL, "https://relay-link-kv.vault.azure.cn", AzureSettings.SERVER_CA_SECRET, "aws-server-cas"))::get);

        assertThat(settings.aksCaPem()).isEqualToIgnoringWhitespace(caPem);
        assertThat(settings.vaultUrl()).isEqualTo("https://relay-link-kv.vault.azure.cn");
        assertThat(settings.serverCaSecret()).isEqualTo("aws-server-cas");
    }

    @Test
    void aMissingOrBrokenSettingIsNamed() {
        assertThatThrownBy(() -> AzureSettings.from(Map.<String, String>of()::get))
                .hasMessageContaining(AzureSettings.SPEC).hasMessageContaining(AzureSettings.SPEC_FILE);
        Map<String, String> noServer = settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString()));
        noServer.remove(AzureSettings.AKS_SERVER);
        assertThatThrownBy(() -> AzureSettings.from(noServer::get)).hasMessageContaining(AzureSettings.AKS_SERVER);
        assertThatThrownBy(() -> AzureSettings.from(settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString(), AzureSettings.AKS_CA, "%%%"))::get))
                .hasMessageContaining(AzureSettings.AKS_CA);
        assertThatThrownBy(() -> AzureSettings.from(settings(Map.of(AzureSettings.SPEC, "name: [unclosed"))::get))
                .isInstanceOf(SpecException.class);
        Map<String, String> noRole = settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString()));
        noRole.remove(AzureSettings.AWS_ROLE_ARN);
        assertThatThrownBy(() -> AzureSettings.from(noRole::get)).hasMessageContaining(AzureSettings.AWS_ROLE_ARN)
                .hasMessageContaining("AzureTrustExchangeRoleArn");
        assertThatThrownBy(() -> AzureSettings.from(settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString(),
                AzureSettings.AWS_ROLE_ARN, "arn:aws:iam::111122223333:user/someone"))::get)).hasMessageContaining(AzureSettings.AWS_ROLE_ARN);
        assertThatThrownBy(() -> AzureSettings.from(settings(Map.of(AzureSettings.SPEC_FILE, EXAMPLE.toString(),
                AzureSettings.AWS_ENDPOINT_URL, "not a url"))::get)).hasMessageContaining(AzureSettings.AWS_ENDPOINT_URL);
    }

    @Test
    void aksTokensAreAskedForTheAksServerApplication() {
        FixedTokenCredential credential = new FixedTokenCredential();

        assertThat(AzureFunctions.aksToken(credential).get()).isEqualTo(FixedTokenCredential.TOKEN);
        assertThat(credential.requests()).singleElement()
                .satisfies(r -> assertThat(r.scopes()).containsExactly("6dae42f8-4368-4678-94ff-3960e28e3630/.default"));
    }

    @Test
    void awsTokensAreAskedForTheTokenExchangeAudience() {
        FixedTokenCredential credential = new FixedTokenCredential();

        assertThat(AzureFunctions.awsToken(credential).get()).isEqualTo(FixedTokenCredential.TOKEN);
        assertThat(credential.requests()).singleElement()
                .satisfies(r -> assertThat(r.scopes()).containsExactly("api://AzureADTokenExchange/.default"));
    }

    private Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(AzureSettings.AKS_SERVER, "https://relay-aks.hcp.westeurope.azmk8s.io:443",
                AzureSettings.AKS_CA, caPem, AzureSettings.AWS_ROLE_ARN, ROLE, AzureSettings.HOST_STORAGE_ACCOUNT, "relaylinkfunctions"));
        settings.putAll(overrides);
        return settings;
    }
}
