package dev.relaylink.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.plan.Planner;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateRotationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final LinkSpec SPEC = TestSpecs.example();
    private static final SpiffeId CHECKOUT = TestPki.workload("payments", "checkout");
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryClouds link = new InMemoryClouds();

    private ServerCertificateRotation server() {
        var ports = link.ports().awsSide();
        return new ServerCertificateRotation(SPEC, ports.serverCa(), ports.serverCertificates(), ports.eks(), ports.gatewayProbe(), clock, 2, Duration.ZERO);
    }

    private ClientCertificateRotation client() {
        var ports = link.ports().azureSide();
        return new ClientCertificateRotation(SPEC, ports.clientCa(), ports.clientCertificates(), ports.serverCaCertificates(), ports.aks(), clock);
    }

    private String servedFingerprint() {
        return Certificates.fingerprint(Pem.readCertificates(link.eks.data.get("relay/relay-server-tls").get("tls.crt")).get(0));
    }

    @Test
    void theFourStepsEndWithCurrentServedAndValid() {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        server().rotate("token-1");

        Credential current = link.serverCertificates.current().orElseThrow();
        ChainValidator.validate(current.chain(), TrustBundle.of(link.serverCa.certificates()), NOW);
        assertThat(Certificates.dnsNames(current.leaf())).containsExactly(TestPki.RELAY_HOST);
        assertThat(servedFingerprint()).isEqualTo(Certificates.fingerprint(current.leaf()));
        assertThat(link.serverCertificates.currentToken).isEqualTo("token-1");
    }

    @Test
    void aPlannedRotationKeepsItsTokenForRetriesThatDayAndTakesANewOneOnceCurrentChanged() {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        ServerCertificateRotation rotation = server();
        String first = rotation.plannedToken();
        rotation.createSecret(first); // a crash after createSecret: the retry the same day reuses the pending version
        clock.advance(Duration.ofHours(11));

        assertThat(rotation.plannedToken()).isEqualTo(first);
        rotation.rotatePlanned();
        assertThat(link.serverCertificates.versions).as("one version: the retry reused it").hasSize(1);
        assertThat(link.serverCertificates.currentToken).isEqualTo(first);

        String second = rotation.plannedToken();
        assertThat(second).as("current changed: the next planned rotation is a new one").isNotEqualTo(first);
        clock.advance(Duration.ofDays(1));
        assertThat(rotation.plannedToken()).as("and a new day is a new rotation too").isNotEqualTo(second);
        rotation.rotatePlanned();
        assertThat(link.serverCertificates.versions).hasSize(2);
        assertThat(servedFingerprint()).isEqualTo(Certificates.fingerprint(link.serverCertificates.current().orElseThrow().leaf()));
    }

    /** Crash after step k (0..3 finished), then the whole protocol runs again with the same token. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aCrashAfterAnyStepThenARetryEndsInTheSameState(int stepsBeforeCrash) {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        ServerCertificateRotation rotation = server();
        List<Consumer<String>> steps = List.of(rotation::createSecret, rotation::setSecret, rotation::testSecret, rotation::finishSecret);
        steps.subList(0, stepsBeforeCrash).forEach(step -> step.accept("token-1"));
        Credential pending = link.serverCertificates.versions.get("token-1");

        server().rotate("token-1");
        assertThat(link.serverCertificates.versions).hasSize(1);
        assertThat(link.serverCertificates.current()).contains(pending);
        assertThat(servedFingerprint()).isEqualTo(Certificates.fingerprint(pending.leaf()));
    }

    @Test
    void aFailingTestSecretLeavesCurrentUntouchedAndTheGatewayOnIt() {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        server().rotate("token-1");
        Credential before = link.serverCertificates.current().orElseThrow();

        ServerCertificateRotation rotation = server();
        rotation.createSecret("token-2");
        rotation.setSecret("token-2");
        // the gateway did not pick the new secret up: it still serves the old certificate
        link.eks.data.get("relay/relay-server-tls").put("tls.crt", Pem.write(before.chain()));
        assertThatThrownBy(() -> rotation.testSecret("token-2")).hasMessageContaining("does not serve the pending certificate");

        assertThat(link.serverCertificates.current()).contains(before);
        assertThat(link.serverCertificates.currentToken).isEqualTo("token-1");
        assertThat(servedFingerprint()).isEqualTo(Certificates.fingerprint(before.leaf()));
        assertThatThrownBy(() -> rotation.finishSecret("token-3")).hasMessageContaining("no pending");
    }

    @Test
    void clientRotationImportsANewVersionAndWritesItWithTheServerBundle() {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        link.clientCa.create(Planner.CLIENT_CA_NAME, NOW, Duration.ofDays(365));
        client().rotate(CHECKOUT, Optional.empty());
        Credential first = link.clientCertificates.current(CHECKOUT).orElseThrow();
        clock.advance(Duration.ofDays(5));

        client().rotate(CHECKOUT, Optional.of(first.leaf().getNotAfter().toInstant()));
        Credential second = link.clientCertificates.current(CHECKOUT).orElseThrow();
        assertThat(link.clientCertificates.versions.get(CHECKOUT)).hasSize(2);
        assertThat(Certificates.spiffeId(second.leaf())).contains(CHECKOUT);
        ChainValidator.validate(second.chain(), TrustBundle.of(link.clientCa.certificates()), clock.instant());
        var secret = link.aks.data.get("payments/relay-mtls");
        assertThat(Pem.readCertificates(secret.get("tls.crt"))).containsExactly(second.leaf());
        assertThat(TrustBundle.parse(secret.get("ca.crt"))).isEqualTo(TrustBundle.of(link.serverCa.certificates()));
    }

    @Test
    void aCrashBetweenImportAndSecretWriteThenTheRetryIssuesNothingNew() {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        link.clientCa.create(Planner.CLIENT_CA_NAME, NOW, Duration.ofDays(365));
        client().rotate(CHECKOUT, Optional.empty());
        Instant expiring = link.clientCertificates.current(CHECKOUT).orElseThrow().leaf().getNotAfter().toInstant();
        clock.advance(Duration.ofDays(5)); // Key Vault reports near-expiry days later

        link.failOn("applyTls");
        assertThatThrownBy(() -> client().rotate(CHECKOUT, Optional.of(expiring))).hasMessageContaining("injected");
        Credential imported = link.clientCertificates.current(CHECKOUT).orElseThrow();
        assertThat(link.clientCertificates.versions.get(CHECKOUT)).hasSize(2);

        client().rotate(CHECKOUT, Optional.of(expiring)); // the same event, redelivered
        assertThat(link.clientCertificates.versions.get(CHECKOUT)).hasSize(2);
        assertThat(Pem.readCertificates(link.aks.data.get("payments/relay-mtls").get("tls.crt"))).containsExactly(imported.leaf());
    }
}
