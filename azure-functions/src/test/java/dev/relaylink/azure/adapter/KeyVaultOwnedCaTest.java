package dev.relaylink.azure.adapter;

import dev.relaylink.testing.OpenSsl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.secrets.SecretClient;
import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.azure.fake.AzureFake.RecordedRequest;
import dev.relaylink.azure.fake.FixedTokenCredential.TokenRequest;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyVaultOwnedCaTest {
    private static final String KEY = "relay-client-ca";
    private final Instant now = Instant.now();
    private final FakeAzure azure = new FakeAzure();
    private final KeyClient keys = azure.clients.keys(azure.fake.vaultUrl());
    private final SecretClient secrets = azure.clients.secrets(azure.fake.vaultUrl());
    private final KeyVaultOwnedCa store = KeyVaultOwnedCa.of(keys, secrets, KEY);

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void beforeTheFirstBootstrapThereIsNoCa() {
        assertThat(store.certificates()).isEmpty();
        assertThat(store.current()).isEmpty();
        assertThat(azure.fake.keyVault().keyVersions(KEY)).isEmpty();
    }

    @Test
    void createMakesAnEcP256KeyInKeyVaultAndPublishesACaCertificateSignedByIt() throws Exception {
        CertificateAuthority ca = store.create("relay-link client CA", now, Duration.ofDays(365));

        assertThat(azure.fake.keyVault().keyVersions(KEY)).hasSize(1);
        X509Certificate certificate = ca.certificate();
        Keys.requireP256(certificate.getPublicKey(), "CA");
        assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(azure.fake.keyVault().publicKey(KEY).orElseThrow().getEncoded());
        certificate.verify(certificate.getPublicKey()); // self-signed, by Key Vault's sign operation
        assertThat(Pem.readCertificates(azure.fake.keyVault().secretValue(KEY + "-certificates").orElseThrow())).containsExactly(certificate);
    }

    @Test
    void aLeafIssuedThroughKeyVaultVerifiesWithTheJdkAndOpenSslAndCarriesItsSpiffeId(@TempDir Path dir) throws Exception {
        store.create("relay-link client CA", now, Duration.ofDays(365));
        // A fresh store reads the CA back from Key Vault, as the next function invocation would.
        CertificateAuthority ca = KeyVaultOwnedCa.of(keys, secrets, KEY).current().orElseThrow();
        SpiffeId workload = TestPki.workload("payments", "checkout");
        KeyPair leafKey = Keys.generateP256();
        X509Certificate leaf = ca.issueClient(leafKey.getPublic(), workload, now, Duration.ofDays(7));

        leaf.verify(ca.certificate().getPublicKey());
        ChainValidator.validate(List.of(leaf), TrustBundle.of(ca.certificate()), now);
        assertThat(Certificates.spiffeId(leaf)).contains(workload);

        Assumptions.assumeTrue(OpenSsl.available(), "openssl is not on this machine");
        Path caFile = Files.writeString(dir.resolve("ca.pem"), Pem.write(ca.certificate()));
        Path leafFile = Files.writeString(dir.resolve("leaf.pem"), Pem.write(leaf));
        OpenSsl.Result verify = OpenSsl.run("verify", "-CAfile", caFile.toString(), leafFile.toString());
        assertThat(verify.output()).contains(": OK");
        assertThat(OpenSsl.run("x509", "-noout", "-ext", "subjectAltName", "-in", leafFile.toString()).output())
                .contains("URI:" + workload);
        Path otherCa = Files.writeString(dir.resolve("other.pem"), Pem.write(new TestPki(now).clientCa.certificate()));
        assertThat(OpenSsl.run("verify", "-CAfile", otherCa.toString(), leafFile.toString()).exitCode()).isNotZero();
    }

    @Test
    void keyVaultSignaturesAreDerAndVerifyForManyInputs() throws Exception {
        store.create("relay-link client CA", now, Duration.ofDays(365));
        KeyVaultSigner signer = KeyVaultSigner.forKey(keys, keys.getKey(KEY));
        Random random = new Random(42);
        // About a quarter of r and s values have their top bit set (DER adds a 0x00) or are short: both occur here.
        for (int i = 0; i < 24; i++) {
            byte[] data = new byte[random.nextInt(2000)];
            random.nextBytes(data);
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(signer.publicKey());
            verifier.update(data);
            assertThat(verifier.verify(signer.signSha256WithEcdsa(data))).as("signature %d", i).isTrue();
        }
    }

    @Test
    void eachLaterGenerationIsOnANewKeyVersionTrustedBeforeItIssuesAndARetiredOnesVersionIsDisabled() throws Exception {
        CertificateAuthority first = store.create("relay-link client CA", now.minus(Duration.ofDays(300)), Duration.ofDays(365));
        CertificateAuthority next = store.create("relay-link client CA", now, Duration.ofDays(365));

        // new key material as a new version of the same key (the identity's role covers that key only),
        // and the next generation is trusted but does not issue yet
        assertThat(azure.fake.keyVault().keyNames()).containsExactly(KEY);
        assertThat(azure.fake.keyVault().keyVersions(KEY)).hasSize(2);
        assertThat(next.certificate().getPublicKey()).isNotEqualTo(first.certificate().getPublicKey());
        assertThat(store.certificates()).containsExactly(first.certificate(), next.certificate());
        assertThat(store.current().orElseThrow().certificate()).isEqualTo(first.certificate());

        store.startIssuing(next.certificate());
        store.startIssuing(next.certificate()); // a retry changes nothing
        assertThat(store.certificates()).containsExactly(next.certificate(), first.certificate());
        CertificateAuthority issuing = store.current().orElseThrow();
        X509Certificate leaf = issuing.issueClient(Keys.generateP256().getPublic(), TestPki.workload("payments", "checkout"), now,
                Duration.ofDays(7));
        assertThat(Certificates.issuedBy(leaf, next.certificate())).isTrue();

        store.retire(first.certificate());
        store.retire(first.certificate()); // a retry after a crash: already disabled and gone
        assertThat(store.certificates()).containsExactly(next.certificate());
        List<String> versions = azure.fake.keyVault().keyVersions(KEY);
        assertThat(azure.fake.keyVault().keyEnabled(KEY, versions.get(0))).isFalse();
        assertThat(azure.fake.keyVault().keyEnabled(KEY, versions.get(1))).as("versions %s", versions).isTrue();
        // the issuing CA still signs: its own key is untouched
        assertThat(Certificates.issuedBy(store.current().orElseThrow()
                .issueClient(Keys.generateP256().getPublic(), TestPki.workload("payments", "checkout"), now, Duration.ofDays(7)),
                next.certificate())).isTrue();
    }

    @Test
    void keyVaultChallengesTheFirstRequestAndTheClientRetriesWithAVaultToken() {
        store.create("relay-link client CA", now, Duration.ofDays(365));

        List<RecordedRequest> requests = azure.fake.requests();
        assertThat(requests.get(0).bearer()).isFalse();
        // Each client (keys with its signing client, secrets) is challenged once: its first request goes
        // without a token (and without its body), gets 401, and is repeated with the vault token.
        int challenged = 0;
        for (int i = 0; i < requests.size(); i++) {
            if (!requests.get(i).bearer()) {
                challenged++;
                assertThat(requests.get(i).status()).isEqualTo(401);
                RecordedRequest retry = requests.get(i + 1);
                assertThat(retry.bearer()).isTrue();
                assertThat(retry.method() + " " + retry.path()).isEqualTo(requests.get(i).method() + " " + requests.get(i).path());
            }
        }
        assertThat(challenged).isEqualTo(2);
        assertThat(requests).anyMatch(r -> r.path().endsWith("/sign") && r.bearer());
        assertThat(azure.credential.requests())
                .contains(new TokenRequest(List.of(AzureFake.VAULT_RESOURCE + "/.default"), AzureFake.TENANT_ID));
    }

    @Test
    void aCertificateWhoseKeyIsNotTheKeyVaultKeyIsRefused() {
        store.create("relay-link client CA", now, Duration.ofDays(365));
        // Someone published a foreign CA in the secret: current() must not pair it with the Key Vault key.
        String foreign = Pem.write(new TestPki(now).clientCa.certificate());
        secrets.setSecret(new com.azure.security.keyvault.secrets.models.KeyVaultSecret(KEY + "-certificates", foreign)
                .setProperties(new com.azure.security.keyvault.secrets.models.SecretProperties()
                        .setTags(java.util.Map.of(KeyVaultOwnedCa.KEY_VERSION_TAG, keys.getKey(KEY).getProperties().getVersion()))));
        assertThatThrownBy(store::current).isInstanceOf(PkiException.class).hasMessageContaining("does not match the signer");
    }

    @Test
    void aWrongLengthSignatureIsAClearError() {
        assertThatThrownBy(() -> KeyVaultSigner.toDer(new byte[70]))
                .isInstanceOf(PkiException.class).hasMessageContaining("70 bytes").hasMessageContaining("expected 64");
        byte[] raw = new byte[64];
        raw[0] = (byte) 0x80; // r with its top bit set: DER needs a leading zero to keep it positive
        raw[63] = 5;          // s = 5: DER drops the 31 leading zero bytes
        org.bouncycastle.asn1.ASN1Sequence der = org.bouncycastle.asn1.ASN1Sequence.getInstance(KeyVaultSigner.toDer(raw));
        assertThat(org.bouncycastle.asn1.ASN1Integer.getInstance(der.getObjectAt(0)).getValue())
                .isEqualTo(java.math.BigInteger.ONE.shiftLeft(255));
        assertThat(org.bouncycastle.asn1.ASN1Integer.getInstance(der.getObjectAt(1)).getValue()).isEqualTo(java.math.BigInteger.valueOf(5));
    }
}
