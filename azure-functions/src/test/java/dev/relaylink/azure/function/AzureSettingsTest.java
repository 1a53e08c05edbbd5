package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.azure.fake.FixedTokenCredential;
import dev.relaylink.pki.Pem;
import dev.relaylink.port.PrivateDnsPort;
import dev.relaylink.spec.SpecException;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AzureSettingsTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "link.yaml");
    private final String caPem = Pem.write(new TestPki(Instant.now()).serverCa.certificate());

    @Test
    void readsTheSpecFromTheSettingAndDefaultsTheRest() throws Exception {
        AzureSettings settings = AzureSettings.from(settings(Map.of(AzureSettings.SPEC, Files.readString(EXAMPLE)))::get);

        assertThat(settings.spec()).isEqualTo(TestSpecs.example());
        assertThat(settings.vaultUrl()).isEqualTo("https://relay-link-kv.vault.azure.net");
        assertThat(settings.serverCaSecret()).isEqualTo(AzureSettings.DEFAULT_SERVER_CA_SECRET);
        assertThat(settings.aksServer()).isEqualTo("https://relay-aks.hcp.westeurope.azmk8s.io:443");
        assertThat(settings.aksCaPem()).isEqualToIgnoringWhitespace(caPem);
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
    }

    @Test
    void anAdapterBuiltOnFirstUseIsBuiltOnceAndOnlyWhenCalled() {
        AtomicInteger built = new AtomicInteger();
        PrivateDnsPort port = AzureSettings.onFirstUse(PrivateDnsPort.class, () -> {
            built.incrementAndGet();
            return new PrivateDnsPort() {
                @Override
                public Set<String> aRecord(String zone, String recordName) {
                    return Set.of("10.0.0.1");
                }

                @Override
                public void setARecord(String zone, String recordName, Set<String> ipv4) {
                    throw new IllegalArgumentException("zone " + zone + " does not exist");
                }
            };
        });
        assertThat(built).hasValue(0);

        assertThat(port.aRecord("z", "r")).containsExactly("10.0.0.1");
        assertThat(port.aRecord("z", "r")).containsExactly("10.0.0.1");
        assertThatThrownBy(() -> port.setARecord("z", "r", Set.of())).isInstanceOf(IllegalArgumentException.class).hasMessage("zone z does not exist");
        assertThat(built).hasValue(1);
    }

    @Test
    void aksTokensAreAskedForTheAksServerApplication() {
        FixedTokenCredential credential = new FixedTokenCredential();

        assertThat(AzureSettings.aksToken(credential).get()).isEqualTo(FixedTokenCredential.TOKEN);
        assertThat(credential.requests()).singleElement()
                .satisfies(r -> assertThat(r.scopes()).containsExactly("6dae42f8-4368-4678-94ff-3960e28e3630/.default"));
    }

    private Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(AzureSettings.AKS_SERVER, "https://relay-aks.hcp.westeurope.azmk8s.io:443",
                AzureSettings.AKS_CA, caPem));
        settings.putAll(overrides);
        return settings;
    }
}
