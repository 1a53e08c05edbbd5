package dev.relaylink.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relaylink.testing.OpenSsl;
import dev.relaylink.testing.TestPki;
import dev.relaylink.tls.MutualTls;
import dev.relaylink.testing.RelayClient;
import dev.relaylink.testing.RelayGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationListTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final RenewalPolicy SEVEN_DAYS_RENEW_AT_33 = RenewalPolicy.percent(Duration.ofDays(7), 33);
    private final TestPki pki = new TestPki(NOW.minus(Duration.ofDays(30)));
    private final SpiffeId checkout = TestPki.workload("payments", "checkout");

    @Test
    void theCaSignsAListOfItsRevokedLeavesThatVerifiesWithItsKey() throws Exception {
        Credential revoked = pki.client(checkout, NOW.minus(Duration.ofDays(1)), Duration.ofDays(7));
        Credential kept = pki.client(checkout, NOW, Duration.ofDays(7));

        X509CRL crl = Pem.readRevocationList(Pem.write(pki.clientCa.revocationList(List.of(revoked.leaf()), NOW, Duration.ofDays(7))));

        crl.verify(pki.clientCa.certificate().getPublicKey());
        assertThat(crl.getIssuerX500Principal()).isEqualTo(pki.clientCa.certificate().getSubjectX500Principal());
        assertThat(crl.isRevoked(revoked.leaf())).isTrue();
        assertThat(crl.isRevoked(kept.leaf())).isFalse();
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThatThrownBy(() -> pki.clientCa.revocationList(List.of(pki.server(TestPki.RELAY_HOST, NOW, Duration.ofDays(1)).leaf()),
                NOW, Duration.ofDays(7))).isInstanceOf(PkiException.class).hasMessageContaining("was not issued by");
    }

    @Test
    void openSslRefusesTheRevokedCertificateWithTheList(@TempDir Path dir) throws IOException {
        assumeTrue(OpenSsl.available(), "openssl is not installed");
        Credential revoked = pki.client(checkout, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(7));
        Credential kept = pki.client(checkout, Instant.now(), Duration.ofDays(7));
        Path ca = Files.writeString(dir.resolve("ca.pem"), Pem.write(pki.clientCa.certificate()));
        Path crl = Files.writeString(dir.resolve("ca.crl"), Pem.write(pki.clientCa.revocationList(List.of(revoked.leaf()), Instant.now(), Duration.ofDays(7))));

        OpenSsl.Result refused = OpenSsl.run("verify", "-crl_check", "-CAfile", ca.toString(), "-CRLfile", crl.toString(),
                Files.writeString(dir.resolve("revoked.pem"), Pem.write(revoked.leaf())).toString());
        OpenSsl.Result accepted = OpenSsl.run("verify", "-crl_check", "-CAfile", ca.toString(), "-CRLfile", crl.toString(),
                Files.writeString(dir.resolve("kept.pem"), Pem.write(kept.leaf())).toString());

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("certificate revoked");
        assertThat(accepted.exitCode()).as(accepted.output()).isZero();
    }

    @Test
    void onlyCertificatesReplacedBeforeTheirTimeAndNotExpiredAreListed() {
        // Renewed when due (after two thirds of its life): not listed.
        Credential renewedWhenDue = pki.client(checkout, NOW.minus(Duration.ofDays(6)), Duration.ofDays(7));
        Credential successor = pki.client(checkout, NOW.minus(Duration.ofDays(1)), Duration.ofDays(7));
        // Replaced an hour after issue (key suspected): listed until it expires.
        Credential replacedEarly = pki.client(checkout, NOW.minus(Duration.ofHours(2)), Duration.ofDays(7));
        Credential current = pki.client(checkout, NOW.minus(Duration.ofHours(1)), Duration.ofDays(7));
        List<java.security.cert.X509Certificate> versions = List.of(renewedWhenDue.leaf(), successor.leaf(), replacedEarly.leaf(), current.leaf());

        assertThat(Revocations.replacedEarly(List.of(versions), SEVEN_DAYS_RENEW_AT_33, NOW))
                .containsExactlyInAnyOrder(successor.leaf(), replacedEarly.leaf())
                .isSortedAccordingTo(java.util.Comparator.comparing(java.security.cert.X509Certificate::getSerialNumber));
        // Eight days on, every replaced certificate has expired: the list is empty again.
        assertThat(Revocations.replacedEarly(List.of(versions), SEVEN_DAYS_RENEW_AT_33, NOW.plus(Duration.ofDays(8)))).isEmpty();
    }

    @Test
    void theGatewayRefusesARevokedButOtherwiseValidCertificate() throws Exception {
        Instant now = Instant.now();
        Credential server = pki.server(TestPki.RELAY_HOST, now, Duration.ofDays(1));
        Credential revoked = pki.client(checkout, now.minus(Duration.ofMinutes(10)), Duration.ofDays(7));
        Credential replacement = pki.client(checkout, now, Duration.ofDays(7));
        X509CRL crl = pki.clientCa.revocationList(List.of(revoked.leaf()), now, Duration.ofDays(7));
        TrustBundle serverCas = TrustBundle.of(pki.serverCa.certificate());
        try (RelayGateway gateway = RelayGateway.start(MutualTls.serverContext(server, TrustBundle.of(pki.clientCa.certificate()),
                Set.of(checkout.toString())::contains, List.of(crl)))) {
            assertThat(RelayClient.call(MutualTls.clientContext(replacement, serverCas), TestPki.RELAY_HOST, gateway.port(), "hello"))
                    .contains(checkout.toString());
            assertThatThrownBy(() -> RelayClient.call(MutualTls.clientContext(revoked, serverCas), TestPki.RELAY_HOST, gateway.port(), "hello"))
                    .isInstanceOf(IOException.class);
        }
    }
}
