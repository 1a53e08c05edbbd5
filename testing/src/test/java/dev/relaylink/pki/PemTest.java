package dev.relaylink.pki;

import dev.relaylink.testing.InMemorySigner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void certificatesKeysAndBundlesRoundTrip() {
        CertificateAuthority ca = CertificateAuthority.selfSigned(InMemorySigner.generate(), "ca", NOW, Duration.ofDays(10));
        KeyPair key = Keys.generateP256();
        X509Certificate leaf = ca.issueServer(key.getPublic(), "relay.example", NOW, Duration.ofDays(1));

        assertThat(Pem.readCertificate(Pem.write(leaf))).isEqualTo(leaf);
        assertThat(Pem.readCertificates(Pem.write(List.of(leaf, ca.certificate())))).containsExactly(leaf, ca.certificate());
        String keyPem = Pem.write(key.getPrivate());
        assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.readPrivateKey(keyPem)).isEqualTo(key.getPrivate());
        Credential credential = Credential.fromPem(Pem.write(leaf), keyPem);
        assertThat(credential.toString()).doesNotContain(keyPem.substring(30, 60)).contains("serial");
    }

    @Test
    void malformedPemIsAClearError() {
        assertThatThrownBy(() -> Pem.readCertificates("")).isInstanceOf(PkiException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Pem.readCertificates("hello")).isInstanceOf(PkiException.class).hasMessageContaining("no '-----BEGIN");
        assertThatThrownBy(() -> Pem.readCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(PkiException.class).hasMessageContaining("PEM block 1: not a valid X.509 certificate");
        assertThatThrownBy(() -> Pem.readCertificates("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(PkiException.class).hasMessageContaining("malformed PEM");
        assertThatThrownBy(() -> Pem.readCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n"))
                .isInstanceOf(PkiException.class).hasMessageContaining("malformed PEM");
        String keyPem = Pem.write(Keys.generateP256().getPrivate());
        assertThatThrownBy(() -> Pem.readCertificates(keyPem)).hasMessageContaining("expected CERTIFICATE, got PRIVATE KEY");
        assertThatThrownBy(() -> Pem.readPrivateKey("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"))
                .hasMessageContaining("expected one PKCS#8 block");
    }

    @Test
    void errorsNeverEchoKeyMaterial() {
        String keyPem = Pem.write(Keys.generateP256().getPrivate());
        String body = keyPem.lines().skip(1).findFirst().orElseThrow();
        String truncated = "-----BEGIN PRIVATE KEY-----\n" + body.substring(0, 40) + "\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> Pem.readPrivateKey(truncated))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("not a PKCS#8 EC key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(0, 40)));
    }
}
