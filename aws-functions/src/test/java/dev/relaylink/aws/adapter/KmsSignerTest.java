package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.testing.OpenSsl;
import dev.relaylink.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** The server CA on a KMS key (the AWS emulator's KMS): certificates it signs verify with the JDK and OpenSSL. */
class KmsSignerTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private AwsClients aws;
    private KmsSigner signer;

    @BeforeEach
    void setUp() {
        aws = Emulator.clients();
        signer = new KmsSigner(aws.kms(), newKey());
    }

    @Test
    void aKmsSignedCaAndLeafVerifyWithTheJdk() throws Exception {
        CertificateAuthority ca = CertificateAuthority.selfSigned(signer, "relay-link server CA", NOW, Duration.ofDays(365));
        KeyPair leafKey = Keys.generateP256();
        X509Certificate leaf = ca.issueServer(leafKey.getPublic(), TestPki.RELAY_HOST, NOW, Duration.ofDays(30));

        ca.certificate().verify(signer.publicKey());
        ChainValidator.validate(List.of(leaf), TrustBundle.of(ca.certificate()), NOW.plus(Duration.ofDays(1)));
        assertThat(Certificates.dnsNames(leaf)).containsExactly(TestPki.RELAY_HOST);
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void aKmsSignedCaAndLeafVerifyWithOpenssl(@TempDir Path dir) throws Exception {
        assumeTrue(OpenSsl.available(), "openssl is not installed");
        CertificateAuthority ca = CertificateAuthority.selfSigned(signer, "relay-link server CA", Instant.now(), Duration.ofDays(365));
        X509Certificate leaf = ca.issueServer(Keys.generateP256().getPublic(), TestPki.RELAY_HOST, Instant.now(), Duration.ofDays(30));
        Files.writeString(dir.resolve("ca.pem"), Pem.write(ca.certificate()));
        Files.writeString(dir.resolve("leaf.pem"), Pem.write(leaf));

        OpenSsl.Result verify = OpenSsl.run("verify", "-x509_strict", "-purpose", "sslserver",
                "-CAfile", dir.resolve("ca.pem").toString(), dir.resolve("leaf.pem").toString());

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("leaf.pem: OK");
    }

    @Test
    void signsRawDataThatTheKmsPublicKeyVerifies() throws Exception {
        byte[] data = "tbs certificate bytes".getBytes(StandardCharsets.UTF_8);

        byte[] signature = signer.signSha256WithEcdsa(data);

        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(signer.publicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void refusesMoreThanKmsSignsInRawMode() {
        assertThat(signer.signSha256WithEcdsa(new byte[KmsSigner.MAX_RAW_MESSAGE])).isNotEmpty();

        assertThatThrownBy(() -> signer.signSha256WithEcdsa(new byte[KmsSigner.MAX_RAW_MESSAGE + 1]))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("at most 4096 bytes")
                .hasMessageContaining("4097 bytes");
    }

    @Test
    void rejectsAKeyThatIsNotP256() {
        String rsa = aws.kms().createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();

        assertThatThrownBy(() -> new KmsSigner(aws.kms(), rsa).publicKey())
                .isInstanceOf(PkiException.class).hasMessageContaining("P-256");
    }

    private String newKey() {
        String keyId = aws.kms().createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)
                .description("relay-link server CA (test)")).keyMetadata().keyId();
        String alias = "alias/relay-link-server-ca-" + UUID.randomUUID();
        aws.kms().createAlias(r -> r.aliasName(alias).targetKeyId(keyId));
        return alias;
    }
}
