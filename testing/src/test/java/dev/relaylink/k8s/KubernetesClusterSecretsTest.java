package dev.relaylink.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.state.SecretState;
import dev.relaylink.testing.MockCluster;
import dev.relaylink.testing.TestPki;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesClusterSecretsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String NS = "relay";
    private static final String TLS = "relay-gateway-tls";
    private static final String SECRET_PATH = "/api/v1/namespaces/relay/secrets/relay-gateway-tls";

    private final TestPki pki = new TestPki(NOW);
    private MockCluster cluster;
    private KubernetesClusterSecrets secrets;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        secrets = new KubernetesClusterSecrets(cluster.client);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Credential serverCredential() {
        Credential issued = pki.server(TestPki.RELAY_HOST, NOW, Duration.ofDays(30));
        return new Credential(issued.key(), List.of(issued.leaf(), pki.serverCa.certificate()));
    }

    private Secret secret(String name) {
        return cluster.client.secrets().inNamespace(NS).withName(name).get();
    }

    private static String text(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Test
    void observeAllReadsANamespacesManagedSecretsInOneListCallAndAgreesWithObserve() {
        Credential credential = serverCredential();
        for (int i = 0; i < 5; i++) {
            secrets.applyTls(NS, "workload-" + i, credential, Optional.of(TrustBundle.of(pki.serverCa.certificate())));
        }
        // someone else's Secret of a wanted name, without relay-link's label: not relay-link's, not seen
        cluster.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("workload-9").endMetadata()
                .addToData("tls.crt", "eA==").build()).create();
        cluster.requests();

        var found = secrets.observeAll(NS, java.util.Set.of("workload-0", "workload-3", "workload-4", "workload-9", "absent"));

        assertThat(cluster.requests()).singleElement().satisfies(request -> assertThat(request)
                .startsWith("GET /api/v1/namespaces/relay/secrets?").contains("labelSelector=app.kubernetes.io%2Fmanaged-by%3Drelay-link"));
        assertThat(found.keySet()).containsExactly("relay/workload-0", "relay/workload-3", "relay/workload-4");
        assertThat(found.get("relay/workload-3")).isEqualTo(secrets.observe(NS, "workload-3").orElseThrow());
        assertThat(found.get("relay/workload-3").certificateFingerprint()).isEqualTo(Certificates.fingerprint(credential.leaf()));
    }

    @Test
    void createsATlsSecretThatParsesBackIntoTheSameCertificateAndKey() {
        Credential credential = serverCredential();
        TrustBundle clientCas = TrustBundle.of(pki.clientCa.certificate());

        assertThat(secrets.applyTls(NS, TLS, credential, Optional.of(clientCas))).isTrue();

        assertThat(cluster.requests()).containsExactly("GET " + SECRET_PATH, "POST /api/v1/namespaces/relay/secrets");
        Secret written = secret(TLS);
        assertThat(written.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(written.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
        Credential parsed = Credential.fromPem(text(written, "tls.crt"), text(written, "tls.key"));
        assertThat(parsed.chain()).containsExactlyElementsOf(credential.chain());
        assertThat(parsed.key()).isEqualTo(credential.key());
        assertThat(text(written, "tls.key")).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(TrustBundle.parse(text(written, "ca.crt"))).isEqualTo(clientCas);
        assertThat(written.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "relay-link");
        assertThat(written.getMetadata().getAnnotations())
                .containsEntry("relay-link.dev/serial", credential.leaf().getSerialNumber().toString(16))
                .containsEntry("relay-link.dev/not-after", credential.leaf().getNotAfter().toInstant().toString())
                .containsEntry("relay-link.dev/fingerprint", Certificates.fingerprint(credential.leaf()))
                .containsEntry("relay-link.dev/bundle-fingerprints", Certificates.fingerprint(pki.clientCa.certificate()));
        assertThat(Instant.parse(written.getMetadata().getAnnotations().get("relay-link.dev/not-after")))
                .isEqualTo(credential.leaf().getNotAfter().toInstant());
    }

    @Test
    void sameContentWritesNothing() {
        Credential credential = serverCredential();
        TrustBundle clientCas = TrustBundle.of(pki.clientCa.certificate());
        secrets.applyTls(NS, TLS, credential, Optional.of(clientCas));
        String version = secret(TLS).getMetadata().getResourceVersion();
        cluster.requests();

        assertThat(secrets.applyTls(NS, TLS, credential, Optional.of(clientCas))).isFalse();
        assertThat(secrets.applyCaBundle(NS, "ca", clientCas)).isTrue();
        assertThat(secrets.applyCaBundle(NS, "ca", TrustBundle.of(pki.clientCa.certificate()))).isFalse();

        List<String> sent = cluster.requests();
        assertThat(sent).filteredOn(r -> r.contains(TLS)).containsExactly("GET " + SECRET_PATH);
        assertThat(sent).filteredOn(r -> !r.startsWith("GET")).containsExactly("POST /api/v1/namespaces/relay/secrets");
        assertThat(secret(TLS).getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void changedContentIsAnUpdateThatKeepsOtherOwnersMetadata() {
        TrustBundle clientCas = TrustBundle.of(pki.clientCa.certificate());
        secrets.applyTls(NS, TLS, serverCredential(), Optional.of(clientCas));
        // Another owner labels the Secret and adds a key of its own.
        cluster.client.secrets().inNamespace(NS).withName(TLS).edit(s -> new SecretBuilder(s)
                .editMetadata().addToLabels("team", "relay").addToAnnotations("example.com/owner", "ops").endMetadata()
                .addToData("extra", Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8))).build());
        String before = secret(TLS).getMetadata().getResourceVersion();
        cluster.requests();

        Credential renewed = serverCredential();
        assertThat(secrets.applyTls(NS, TLS, renewed, Optional.empty())).isTrue();

        assertThat(cluster.requests()).containsExactly("GET " + SECRET_PATH, "PUT " + SECRET_PATH);
        Secret written = secret(TLS);
        assertThat(written.getMetadata().getResourceVersion()).isNotEqualTo(before);
        assertThat(written.getData()).containsOnlyKeys("tls.crt", "tls.key");
        assertThat(Credential.fromPem(text(written, "tls.crt"), text(written, "tls.key")).leaf()).isEqualTo(renewed.leaf());
        assertThat(written.getMetadata().getLabels()).containsEntry("team", "relay").containsEntry("app.kubernetes.io/managed-by", "relay-link");
        assertThat(written.getMetadata().getAnnotations())
                .containsEntry("example.com/owner", "ops")
                .containsEntry("relay-link.dev/fingerprint", Certificates.fingerprint(renewed.leaf()))
                .doesNotContainKey("relay-link.dev/bundle-fingerprints");
    }

    @Test
    void aRemovedAnnotationIsRestoredEvenWhenTheDataIsTheSame() {
        Credential credential = serverCredential();
        secrets.applyTls(NS, TLS, credential, Optional.empty());
        cluster.client.secrets().inNamespace(NS).withName(TLS).edit(s -> new SecretBuilder(s)
                .editMetadata().removeFromAnnotations("relay-link.dev/fingerprint").endMetadata().build());

        assertThat(secrets.applyTls(NS, TLS, credential, Optional.empty())).isTrue();

        assertThat(secret(TLS).getMetadata().getAnnotations()).containsEntry("relay-link.dev/fingerprint", Certificates.fingerprint(credential.leaf()));
        assertThat(secrets.applyTls(NS, TLS, credential, Optional.empty())).isFalse();
    }

    @Test
    void aConcurrentUpdateBetweenReadAndWriteIsReadAgainAndRetried() {
        secrets.applyTls(NS, TLS, serverCredential(), Optional.empty());
        Secret stale = secret(TLS);
        // Another writer updates the Secret after relay-link's read: relay-link's first read returns
        // the version from before, so its PUT carries a stale resourceVersion and the server answers 409.
        cluster.client.secrets().inNamespace(NS).withName(TLS).edit(s -> new SecretBuilder(s)
                .editMetadata().addToLabels("touched-by", "other-writer").endMetadata().build());
        cluster.server.expect().get().withPath(SECRET_PATH).andReturn(200, stale).once();
        cluster.requests();

        Credential renewed = serverCredential();
        assertThat(secrets.applyTls(NS, TLS, renewed, Optional.empty())).isTrue();

        assertThat(cluster.requests()).containsExactly("GET " + SECRET_PATH, "PUT " + SECRET_PATH, "GET " + SECRET_PATH, "PUT " + SECRET_PATH);
        Secret written = secret(TLS);
        assertThat(Credential.fromPem(text(written, "tls.crt"), text(written, "tls.key")).leaf()).isEqualTo(renewed.leaf());
        assertThat(written.getMetadata().getLabels()).containsEntry("touched-by", "other-writer");
    }

    @Test
    void conflictsThatNeverEndGiveAClearErrorAfterFiveAttempts() {
        Credential first = serverCredential();
        secrets.applyTls(NS, TLS, first, Optional.empty());
        cluster.server.expect().put().withPath(SECRET_PATH)
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict").withMessage("the object has been modified").build())
                .always();
        cluster.requests();

        assertThatThrownBy(() -> secrets.applyTls(NS, TLS, serverCredential(), Optional.empty()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("Secret relay/relay-gateway-tls")
                .hasMessageContaining("5 attempts ended in 409 Conflict");

        assertThat(cluster.requests()).filteredOn(r -> r.startsWith("PUT")).hasSize(5);
        assertThat(Credential.fromPem(text(secret(TLS), "tls.crt"), text(secret(TLS), "tls.key")).leaf()).isEqualTo(first.leaf());
    }

    @Test
    void caBundleIsAnOpaqueSecretWithOnlyCaCrt() {
        TrustBundle bundle = TrustBundle.of(pki.clientCa.certificate(), pki.serverCa.certificate());

        assertThat(secrets.applyCaBundle(NS, "relay-client-ca", bundle)).isTrue();

        Secret written = secret("relay-client-ca");
        assertThat(written.getType()).isEqualTo("Opaque");
        assertThat(written.getData()).containsOnlyKeys("ca.crt");
        assertThat(TrustBundle.parse(text(written, "ca.crt"))).isEqualTo(bundle);
        assertThat(written.getMetadata().getAnnotations())
                .containsEntry("relay-link.dev/bundle-fingerprints", String.join(",", bundle.fingerprints()))
                .doesNotContainKey("relay-link.dev/fingerprint");
        SecretState state = secrets.observe(NS, "relay-client-ca").orElseThrow();
        assertThat(state.sha256ByKey()).isEqualTo(Map.of("ca.crt", SecretState.sha256Hex(bundle.pem())));
        assertThat(state.certificateFingerprint()).isEmpty();
    }

    @Test
    void observeHashesEachDecodedValueAndReportsTheLeafFingerprint() {
        Credential credential = serverCredential();
        TrustBundle clientCas = TrustBundle.of(pki.clientCa.certificate());
        secrets.applyTls(NS, TLS, credential, Optional.of(clientCas));

        SecretState state = secrets.observe(NS, TLS).orElseThrow();

        assertThat(state.key()).isEqualTo("relay/relay-gateway-tls");
        assertThat(state.certificateFingerprint()).isEqualTo(Certificates.fingerprint(credential.leaf()));
        assertThat(state.sha256ByKey()).isEqualTo(Map.of(
                "tls.crt", SecretState.sha256Hex(Pem.write(credential.chain())),
                "tls.key", SecretState.sha256Hex(Pem.write(credential.key())),
                "ca.crt", SecretState.sha256Hex(clientCas.pem())));
        assertThat(state.sha256ByKey()).isEqualTo(ClusterSecretData.sha256ByKey(ClusterSecretData.tls(credential, Optional.of(clientCas))));
        assertThat(secrets.observe(NS, "nothing-here")).isEmpty();
    }

    @Test
    void badInputIsRefusedBeforeAnyRequest() {
        Credential credential = serverCredential();
        Credential other = serverCredential();
        Credential mismatched = new Credential(other.key(), credential.chain());

        assertThatThrownBy(() -> secrets.applyTls(NS, TLS, mismatched, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong to the leaf");
        assertThatThrownBy(() -> secrets.applyTls("Relay_NS", TLS, credential, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace 'Relay_NS' is not a DNS-1123 label");
        assertThatThrownBy(() -> secrets.applyCaBundle(NS, "ca", TrustBundle.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty CA bundle");

        assertThat(cluster.requests()).isEmpty();
    }

    @Test
    void aSecretOfAnotherTypeIsNotOverwritten() {
        cluster.client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(TLS).endMetadata()
                .withType("Opaque").addToData("password", "c2VjcmV0").build()).create();
        cluster.requests();

        assertThatThrownBy(() -> secrets.applyTls(NS, TLS, serverCredential(), Optional.empty()))
                .isInstanceOf(ClusterException.class).hasMessageContaining("exists with type Opaque, relay-link needs kubernetes.io/tls");

        assertThat(cluster.requests()).containsExactly("GET " + SECRET_PATH);
        assertThat(secret(TLS).getData()).containsOnlyKeys("password");
    }

    @Test
    void logsNameTheSecretButNeverCarryItsData() {
        Credential credential = serverCredential();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            secrets.applyTls(NS, TLS, credential, Optional.empty());
            secrets.applyTls(NS, TLS, serverCredential(), Optional.empty());
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        String keyBody = Pem.write(credential.key()).lines().skip(1).findFirst().orElseThrow();

        assertThat(log).contains("created Secret relay/relay-gateway-tls").contains("updated Secret relay/relay-gateway-tls");
        assertThat(log).doesNotContain(keyBody).doesNotContain(Base64.getEncoder().encodeToString(Pem.write(credential.key()).getBytes(StandardCharsets.UTF_8)).substring(0, 40));
    }
}
