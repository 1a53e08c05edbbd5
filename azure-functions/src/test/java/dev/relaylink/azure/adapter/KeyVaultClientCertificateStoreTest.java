package dev.relaylink.azure.adapter;

import dev.relaylink.testing.OpenSsl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.security.keyvault.certificates.CertificateClient;
import dev.relaylink.azure.fake.AzureFake.RecordedRequest;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyVaultClientCertificateStoreTest {
    private static final LinkSpec.Workload CHECKOUT = new LinkSpec.Workload("payments", "checkout", "relay-mtls");
    private static final LinkSpec.Workload TRACKER = new LinkSpec.Workload("shipping", "tracker", "relay-mtls");
    private static final SpiffeId CHECKOUT_ID = CHECKOUT.spiffeId(TestPki.TRUST_DOMAIN);
    private static final SpiffeId TRACKER_ID = TRACKER.spiffeId(TestPki.TRUST_DOMAIN);

    private final Instant now = Instant.now();
    private final TestPki pki = new TestPki(now);
    private final FakeAzure azure = new FakeAzure();
    private final CertificateClient certificates = azure.clients.certificates(azure.fake.vaultUrl());
    private final KeyVaultClientCertificateStore store = new KeyVaultClientCertificateStore(
            certificates, azure.clients.secrets(azure.fake.vaultUrl()), TestPki.TRUST_DOMAIN, List.of(CHECKOUT, TRACKER));

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void aWorkloadWithoutACertificateHasNone() {
        assertThat(store.currentCertificates()).isEmpty();
        assertThat(store.current(CHECKOUT_ID)).isEmpty();
    }

    @Test
    void eachImportIsANewVersionAndCurrentReturnsItWithItsKey() {
        Credential first = pki.client(CHECKOUT_ID, now, Duration.ofDays(7));
        Credential second = pki.client(CHECKOUT_ID, now.plus(Duration.ofDays(5)), Duration.ofDays(7));

        store.importVersion(CHECKOUT_ID, first);
        store.importVersion(CHECKOUT_ID, second);

        List<String> versions = azure.fake.keyVault().certificateVersions(CHECKOUT.keyVaultCertificateName());
        assertThat(versions).hasSize(2);
        Credential current = store.current(CHECKOUT_ID).orElseThrow();
        assertThat(current.leaf()).isEqualTo(second.leaf());
        assertThat(current.key().getEncoded()).isEqualTo(second.key().getEncoded());
        assertThat(store.currentCertificates()).containsExactly(Map.entry(CHECKOUT_ID, List.of(second.leaf())));
        // The previous version is still there and usable until it expires.
        assertThat(certificates.getCertificateVersion(CHECKOUT.keyVaultCertificateName(), versions.get(0)).getCer())
                .isEqualTo(encoded(first.leaf()));
    }

    @Test
    void versionsListsEveryLiveLeafInTheOrderTheyWereMadeCurrent() {
        // The later import carries the older certificate: the order is Key Vault's, not notBefore's.
        Credential first = pki.client(CHECKOUT_ID, now, Duration.ofDays(7));
        Credential second = pki.client(CHECKOUT_ID, now.minus(Duration.ofDays(1)), Duration.ofDays(7));
        Credential expired = pki.client(TRACKER_ID, now.minus(Duration.ofDays(30)), Duration.ofDays(7));
        store.importVersion(CHECKOUT_ID, first);
        store.importVersion(CHECKOUT_ID, second);
        store.importVersion(TRACKER_ID, expired);

        assertThat(store.versions()).containsOnlyKeys(CHECKOUT_ID);
        assertThat(store.versions().get(CHECKOUT_ID)).containsExactly(first.leaf(), second.leaf());
    }

    @Test
    void theChallengedFirstImportGoesWithoutItsBodyAndIsRepeatedWithIt() {
        store.importVersion(CHECKOUT_ID, pki.client(CHECKOUT_ID, now, Duration.ofDays(7)));

        List<RecordedRequest> imports = azure.fake.requests().stream().filter(r -> r.path().endsWith("/import")).toList();
        assertThat(imports).hasSize(2);
        // Key Vault clients never send a body (here: the PEM with the key) before they know the vault's auth scheme.
        assertThat(imports.get(0)).extracting(RecordedRequest::bearer, RecordedRequest::bodyBytes, RecordedRequest::status)
                .containsExactly(false, 0, 401);
        assertThat(imports.get(1).bearer()).isTrue();
        assertThat(imports.get(1).bodyBytes()).isGreaterThan(500);
        assertThat(imports.get(1).status()).isEqualTo(200);
    }

    @Test
    void aLeafFromTheKeyVaultCaRoundTripsAndVerifiesWithOpenSsl(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = KeyVaultOwnedCa.of(azure.clients.keys(azure.fake.vaultUrl()), azure.clients.secrets(azure.fake.vaultUrl()),
                "relay-client-ca").create("relay-link client CA", now, Duration.ofDays(365));
        Credential issued = TestPki.issueClient(ca, TRACKER_ID, now, Duration.ofDays(7));
        store.importVersion(TRACKER_ID, issued);

        Credential read = store.current(TRACKER_ID).orElseThrow();
        ChainValidator.validate(read.chain(), TrustBundle.of(ca.certificate()), now);
        assertThat(Certificates.spiffeId(read.leaf())).contains(TRACKER_ID);
        assertThat(read.key().getEncoded()).isEqualTo(issued.key().getEncoded());

        Assumptions.assumeTrue(OpenSsl.available(), "openssl is not on this machine");
        Path caFile = Files.writeString(dir.resolve("ca.pem"), Pem.write(ca.certificate()));
        Path leafFile = Files.writeString(dir.resolve("leaf.pem"), Pem.write(read.chain()));
        assertThat(OpenSsl.run("verify", "-CAfile", caFile.toString(), leafFile.toString()).output()).contains(": OK");
        Path keyFile = Files.writeString(dir.resolve("leaf.key"), Pem.write(read.key()));
        // The key read back is the leaf's key: openssl derives the same public key from both.
        assertThat(OpenSsl.run("pkey", "-in", keyFile.toString(), "-pubout").output())
                .isEqualTo(OpenSsl.run("x509", "-in", leafFile.toString(), "-noout", "-pubkey").output());
    }

    @Test
    void aCertificateForAnotherWorkloadIsRefusedAndNothingIsImported() {
        Credential trackers = pki.client(TRACKER_ID, now, Duration.ofDays(7));

        assertThatThrownBy(() -> store.importVersion(CHECKOUT_ID, trackers))
                .isInstanceOf(PkiException.class).hasMessageContaining(TRACKER_ID.toString()).hasMessageContaining("not " + CHECKOUT_ID);
        assertThat(azure.fake.keyVault().certificateVersions(CHECKOUT.keyVaultCertificateName())).isEmpty();
    }

    @Test
    void aWorkloadOutsideTheSpecIsAClearError() {
        SpiffeId stranger = TestPki.workload("other", "intruder");
        assertThatThrownBy(() -> store.importVersion(stranger, pki.client(stranger, now, Duration.ofDays(7))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the link spec");
        assertThatThrownBy(() -> store.current(stranger)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyNeverAppearsInTheLogs() {
        Credential credential = pki.client(CHECKOUT_ID, now, Duration.ofDays(7));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            store.importVersion(CHECKOUT_ID, credential);
            store.current(CHECKOUT_ID).orElseThrow();
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("imported " + CHECKOUT_ID); // the log line is there ...
        String keyBase64 = Base64.getEncoder().encodeToString(credential.key().getEncoded());
        assertThat(logs).doesNotContain("PRIVATE KEY").doesNotContain(keyBase64.substring(0, 40)); // ... the key is not
    }

    @Test
    void aSecretWithoutTheKeyIsReportedWithoutItsContent() {
        assertThatThrownBy(() -> KeyVaultClientCertificateStore.fromPem(Pem.write(pki.clientCa.certificate()), "client-x--y"))
                .isInstanceOf(PkiException.class).hasMessage("the secret of Key Vault certificate client-x--y lacks a private key");
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
