package dev.relaylink.pki;

import dev.relaylink.testing.InMemorySigner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PkiTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final CertificateAuthority ca = CertificateAuthority.selfSigned(InMemorySigner.generate(), "relay-link client CA", NOW, Duration.ofDays(365));

    @Test
    void caIsPathLenZeroAndSignsOnlyCertificatesAndCrls() {
        X509Certificate cert = ca.certificate();
        assertThat(cert.getBasicConstraints()).isEqualTo(0);
        boolean[] usage = cert.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(usage[0]).as("digitalSignature").isFalse();
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        Keys.requireP256(cert.getPublicKey(), "ca");
    }

    @Test
    void serverLeafHasServerAuthAndDnsSanAndIsBackdatedForSkew() throws Exception {
        X509Certificate leaf = ca.issueServer(Keys.generateP256().getPublic(), "relay.internal.example", NOW, Duration.ofDays(30));
        assertThat(Certificates.dnsNames(leaf)).containsExactly("relay.internal.example");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(CertificateAuthority.CLOCK_SKEW));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
        ChainValidator.validate(List.of(leaf), TrustBundle.of(ca.certificate()), NOW);
    }

    @Test
    void clientLeafHasClientAuthAndExactlyTheSpiffeUri() throws Exception {
        SpiffeId id = new SpiffeId("aks.example", "payments", "checkout");
        X509Certificate leaf = ca.issueClient(Keys.generateP256().getPublic(), id, NOW, Duration.ofDays(7));
        assertThat(Certificates.spiffeId(leaf)).contains(id);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(Certificates.dnsNames(leaf)).isEmpty();
        ChainValidator.validate(List.of(leaf), TrustBundle.of(ca.certificate()), NOW);
    }

    @Test
    void serialsAreRandomPositiveAndAtMost128Bits() {
        Set<String> serials = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            X509Certificate leaf = ca.issueServer(Keys.generateP256().getPublic(), "relay.example", NOW, Duration.ofDays(1));
            assertThat(leaf.getSerialNumber().signum()).isPositive();
            assertThat(leaf.getSerialNumber().bitLength()).isLessThanOrEqualTo(128).isGreaterThan(64);
            serials.add(Certificates.serialHex(leaf));
        }
        assertThat(serials).hasSize(50);
    }

    @Test
    void aLeafNeverOutlivesItsCa() {
        X509Certificate leaf = ca.issueServer(Keys.generateP256().getPublic(), "relay.example", NOW, Duration.ofDays(900));
        assertThat(leaf.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    }

    @Test
    void chainFromAnotherCaIsRefusedWithAReason() {
        CertificateAuthority foreign = CertificateAuthority.selfSigned(InMemorySigner.generate(), "foreign", NOW, Duration.ofDays(365));
        X509Certificate leaf = foreign.issueServer(Keys.generateP256().getPublic(), "relay.example", NOW, Duration.ofDays(1));
        assertThatThrownBy(() -> ChainValidator.validate(List.of(leaf), TrustBundle.of(ca.certificate()), NOW))
                .isInstanceOf(PkiException.class).hasMessageContaining("does not validate against the trust bundle");
    }

    @Test
    void expiredChainIsRefused() {
        X509Certificate leaf = ca.issueServer(Keys.generateP256().getPublic(), "relay.example", NOW, Duration.ofDays(1));
        assertThatThrownBy(() -> ChainValidator.validate(List.of(leaf), TrustBundle.of(ca.certificate()), NOW.plus(Duration.ofDays(2))))
                .isInstanceOf(PkiException.class);
    }

    @Test
    void aLeafCannotBeUsedAsAnIssuer() {
        var leafKey = Keys.generateP256();
        X509Certificate leaf = ca.issueServer(leafKey.getPublic(), "relay.example", NOW, Duration.ofDays(1));
        assertThatThrownBy(() -> new CertificateAuthority(new InMemorySigner(leafKey), leaf))
                .isInstanceOf(PkiException.class).hasMessageContaining("is not a CA");
        assertThatThrownBy(() -> TrustBundle.of(leaf)).hasMessageContaining("is not a CA");
    }

    @Test
    void aCaCertificateMustMatchItsSigner() {
        assertThatThrownBy(() -> new CertificateAuthority(InMemorySigner.generate(), ca.certificate()))
                .isInstanceOf(PkiException.class).hasMessageContaining("does not match the signer's public key");
    }

    @Test
    void rsaAndP384KeysAreRefusedWhereP256IsRequired() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThatThrownBy(() -> ca.issueServer(rsa.generateKeyPair().getPublic(), "relay.example", NOW, Duration.ofDays(1)))
                .isInstanceOf(PkiException.class).hasMessageContaining("expected an ECDSA P-256 key, got RSA");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        var p384 = ec.generateKeyPair();
        assertThatThrownBy(() -> ca.issueClient(p384.getPublic(), new SpiffeId("td", "ns", "sa"), NOW, Duration.ofDays(1)))
                .isInstanceOf(PkiException.class).hasMessageContaining("384-bit curve");
        assertThatThrownBy(() -> new InMemorySigner(p384)).hasMessageContaining("CA key");
    }

    @Test
    void spiffeIdsAreCheckedOnParse() {
        assertThat(SpiffeId.parse("spiffe://aks.example/ns/payments/sa/checkout"))
                .isEqualTo(new SpiffeId("aks.example", "payments", "checkout"));
        assertThatThrownBy(() -> SpiffeId.parse("https://aks.example/ns/a/sa/b")).hasMessageContaining("is not of the form");
        assertThatThrownBy(() -> new SpiffeId("aks.example", "Payments", "x")).hasMessageContaining("DNS-1123 label");
    }
}
