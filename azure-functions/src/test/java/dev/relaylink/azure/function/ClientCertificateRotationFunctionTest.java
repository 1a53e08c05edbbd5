package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.k8s.KubernetesClusterSecrets;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.SecretState;
import io.fabric8.kubernetes.api.model.Secret;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Client certificate rotation end to end: Key Vault's event in, the Key Vault fake and the AKS mock's state out. */
class ClientCertificateRotationFunctionTest {
    private static final LinkSpec.Workload CHECKOUT = AzureHarness.SPEC.workloads().get(0);
    private static final LinkSpec.Workload TRACKER = AzureHarness.SPEC.workloads().get(1);
    private static final SpiffeId CHECKOUT_ID = CHECKOUT.spiffeId(AzureHarness.SPEC.trustDomain());

    private final AzureHarness azure = new AzureHarness();
    private final Credential first = azure.bootstrap(CHECKOUT);
    private final Credential trackers = azure.bootstrap(TRACKER);
    private final ClientCertificateRotationFunction function = new ClientCertificateRotationFunction(() -> azure.link);

    @AfterEach
    void stop() {
        azure.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {Events.NEAR_EXPIRY_EVENT_GRID, Events.NEAR_EXPIRY_CLOUD_EVENTS, Events.EXPIRED_EVENT_GRID, Events.EXPIRED_CLOUD_EVENTS})
    void anExpiringCertificateGetsANewVersionThatTheWorkloadsSecretHolds(String file) {
        String event = aboutCurrentVersion(file, "e-1");

        function.run(event, new TestContext(ClientCertificateRotationFunction.NAME));

        List<String> versions = azure.versions(CHECKOUT);
        assertThat(versions).hasSize(2);
        Credential current = azure.link.ports().clientCertificates().current(CHECKOUT_ID).orElseThrow();
        X509Certificate leaf = current.leaf();
        assertThat(leaf).isNotEqualTo(first.leaf());
        ChainValidator.validate(List.of(leaf), TrustBundle.of(azure.link.ports().clientCaCertificates().certificates()), Instant.now());
        assertThat(Certificates.spiffeId(leaf)).contains(CHECKOUT_ID);
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");

        Secret secret = azure.secret(CHECKOUT.namespace(), CHECKOUT.secretName()).orElseThrow();
        Credential inSecret = AzureHarness.credentialIn(secret);
        assertThat(inSecret.leaf()).isEqualTo(leaf);
        assertThat(inSecret.key().getEncoded()).isEqualTo(current.key().getEncoded());
        assertThat(Pem.readCertificates(AzureHarness.decode(secret, "ca.crt"))).containsExactly(azure.pki.serverCa.certificate());

        // The other workload is untouched, and the previous version is kept for pods that still hold it.
        assertThat(azure.versions(TRACKER)).hasSize(1);
        assertThat(azure.link.ports().clientCertificates().current(TRACKER.spiffeId(AzureHarness.SPEC.trustDomain())).orElseThrow().leaf())
                .isEqualTo(trackers.leaf());
        assertThat(versions.get(0)).isEqualTo(versionOf(first));

        assertThat(azure.metrics(AzureTelemetry.ROTATIONS)).hasSize(1);
        assertThat(azure.metrics(AzureTelemetry.DAYS_TO_EXPIRY)).extracting(m -> m.path("notAfter").asText())
                .containsExactly(first.leaf().getNotAfter().toInstant().toString(), leaf.getNotAfter().toInstant().toString());
    }

    @Test
    void aCrashBetweenImportAndSecretWriteIsRepairedByTheRetry() {
        String event = aboutCurrentVersion(Events.NEAR_EXPIRY_EVENT_GRID, "e-crash");
        AtomicBoolean failNextWrite = new AtomicBoolean(true);
        AzureFunctions crashing = azure.restartedHost(failingOnce(new KubernetesClusterSecrets(azure.aks.client), failNextWrite));

        assertThatThrownBy(() -> new ClientCertificateRotationFunction(() -> crashing).run(event, new TestContext(ClientCertificateRotationFunction.NAME)))
                .hasMessage("host stopped before the AKS secret was written");
        assertThat(azure.versions(CHECKOUT)).hasSize(2);
        assertThat(AzureHarness.credentialIn(azure.secret(CHECKOUT.namespace(), CHECKOUT.secretName()).orElseThrow()).leaf()).isEqualTo(first.leaf());

        // Event Grid delivers the event again, to a host that knows nothing of the first attempt.
        new ClientCertificateRotationFunction(() -> azure.link).run(event, new TestContext(ClientCertificateRotationFunction.NAME));

        assertThat(azure.versions(CHECKOUT)).as("no second new version").hasSize(2);
        X509Certificate current = azure.link.ports().clientCertificates().current(CHECKOUT_ID).orElseThrow().leaf();
        assertThat(AzureHarness.credentialIn(azure.secret(CHECKOUT.namespace(), CHECKOUT.secretName()).orElseThrow()).leaf()).isEqualTo(current);
    }

    @Test
    void aDuplicateEventChangesNothing() {
        String event = aboutCurrentVersion(Events.NEAR_EXPIRY_CLOUD_EVENTS, "e-dup");
        function.run(event, new TestContext(ClientCertificateRotationFunction.NAME));
        List<String> versions = azure.versions(CHECKOUT);
        String resourceVersion = azure.secret(CHECKOUT.namespace(), CHECKOUT.secretName()).orElseThrow().getMetadata().getResourceVersion();
        int azureWrites = azure.azureWrites().size();
        azure.aks.requests();

        function.run(event, new TestContext(ClientCertificateRotationFunction.NAME));

        assertThat(azure.versions(CHECKOUT)).isEqualTo(versions);
        assertThat(azure.azureWrites()).hasSize(azureWrites);
        assertThat(azure.aks.requests()).allMatch(r -> r.startsWith("GET "));
        assertThat(azure.secret(CHECKOUT.namespace(), CHECKOUT.secretName()).orElseThrow().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
        assertThat(azure.audit()).last().satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("DUPLICATE"));
        assertThat(azure.metrics(AzureTelemetry.ROTATIONS)).hasSize(1);
    }

    @Test
    void anEventAboutAnOlderVersionIssuesNothing() {
        String aboutFirst = aboutCurrentVersion(Events.NEAR_EXPIRY_EVENT_GRID, "e-first");
        function.run(aboutFirst, new TestContext(ClientCertificateRotationFunction.NAME));
        List<String> versions = azure.versions(CHECKOUT);

        // CertificateExpired for the version that was already replaced, with its own event id.
        function.run(Events.edited(Events.EXPIRED_EVENT_GRID, e -> {
            e.put("id", "e-expired-first");
            Events.data(e).put("Version", versionOf(first)).put("EXP", first.leaf().getNotAfter().toInstant().getEpochSecond());
        }), new TestContext(ClientCertificateRotationFunction.NAME));

        assertThat(azure.versions(CHECKOUT)).isEqualTo(versions);
        assertThat(azure.audit()).last().satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("NO_CHANGE"));
    }

    @Test
    void anEarlyWarningAboutACertificateNotYetDueIssuesNothing() {
        // Key Vault warns 30 days ahead: a seven-day certificate is "near expiry" as soon as it is imported.
        SpiffeId tracker = TRACKER.spiffeId(AzureHarness.SPEC.trustDomain());
        azure.link.clientRotation().rotateNow(tracker);
        Credential fresh = azure.link.ports().clientCertificates().current(tracker).orElseThrow();
        List<String> versions = azure.versions(TRACKER);

        function.run(Events.edited(Events.NEAR_EXPIRY_CLOUD_EVENTS, e -> {
            e.put("id", "e-early");
            Events.data(e).put("ObjectName", TRACKER.keyVaultCertificateName()).put("Version", versions.getLast())
                    .put("EXP", fresh.leaf().getNotAfter().toInstant().getEpochSecond());
        }), new TestContext(ClientCertificateRotationFunction.NAME));

        assertThat(azure.versions(TRACKER)).isEqualTo(versions);
        assertThat(AzureHarness.credentialIn(azure.secret(TRACKER.namespace(), TRACKER.secretName()).orElseThrow()).leaf()).isEqualTo(fresh.leaf());
        assertThat(azure.audit()).last().satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("NO_CHANGE"));
        assertThat(azure.metrics(AzureTelemetry.ROTATIONS)).isEmpty();
    }

    /** The sample event about the workload's current Key Vault version, as Key Vault would send it. */
    private String aboutCurrentVersion(String file, String id) {
        Credential current = azure.link.ports().clientCertificates().current(CHECKOUT_ID).orElseThrow();
        return Events.edited(file, e -> {
            e.put("id", id);
            Events.data(e).put("Version", azure.versions(CHECKOUT).getLast())
                    .put("NBF", current.leaf().getNotBefore().toInstant().getEpochSecond())
                    .put("EXP", current.leaf().getNotAfter().toInstant().getEpochSecond());
        });
    }

    /** The Key Vault version of the bootstrap's certificate: the workload's first. */
    private String versionOf(Credential bootstrapped) {
        assertThat(bootstrapped).isSameAs(first);
        return azure.versions(CHECKOUT).get(0);
    }

    /** The AKS port of a host that dies (once) right before it writes a Secret. */
    private static ClusterSecrets failingOnce(ClusterSecrets real, AtomicBoolean fail) {
        return new ClusterSecrets() {
            @Override
            public Optional<SecretState> observe(String namespace, String name) {
                return real.observe(namespace, name);
            }

            @Override
            public boolean applyTls(String namespace, String name, Credential credential, Optional<TrustBundle> trusted) {
                if (fail.getAndSet(false)) {
                    throw new IllegalStateException("host stopped before the AKS secret was written");
                }
                return real.applyTls(namespace, name, credential, trusted);
            }

            @Override
            public boolean applyCaBundle(String namespace, String name, TrustBundle bundle) {
                return real.applyCaBundle(namespace, name, bundle);
            }

            @Override
            public boolean applyRevocationList(String namespace, String name, String crlPem) {
                return real.applyRevocationList(namespace, name, crlPem);
            }
        };
    }
}
