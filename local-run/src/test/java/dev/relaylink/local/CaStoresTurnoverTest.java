package dev.relaylink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.aws.adapter.AwsClients;
import dev.relaylink.aws.adapter.KmsOwnedCa;
import dev.relaylink.aws.adapter.KmsSigner;
import dev.relaylink.aws.adapter.SecretsManagerPublishedCas;
import dev.relaylink.aws.adapter.ServerCaKeyPolicy;
import dev.relaylink.azure.adapter.AzureClients;
import dev.relaylink.azure.adapter.KeyVaultOwnedCa;
import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.azure.fake.FixedTokenCredential;
import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.PkiException;
import dev.relaylink.port.OwnedCa;
import dev.relaylink.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * The same CA generation turnover against both CA stores, the server CA's (KMS keys and a Secrets
 * Manager list, on the AWS emulator) and the client CA's (Key Vault key versions and a secret, on the
 * Azure fake): after every step both keep the same generations in the same order, and the issuing one
 * still signs. The rule is {@link CaGenerations}'; the stores only translate it.
 */
class CaStoresTurnoverTest {
    /** The AWS emulator scripts/test starts (AWS_ENDPOINT_URL), as the local run reaches it. */
    private static final dev.relaylink.wiring.Lazy<AwsClients> AWS = dev.relaylink.wiring.Lazy.of(AwsClients::fromEnvironment);

    private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");
    private static final Duration LIFETIME = Duration.ofDays(365);

    private final AzureFake azure = AzureFake.start();
    private KmsOwnedCa kms;
    private KeyVaultOwnedCa keyVault;

    @BeforeEach
    void setUp() {
        AwsClients aws = AWS.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String stackAlias = "alias/relay-link-" + suffix + "-server-ca";
        String keyId = aws.kms().createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
        aws.kms().createAlias(r -> r.aliasName(stackAlias).targetKeyId(keyId));
        String caSecret = "relay-link/server-tls-" + suffix + "-ca";
        aws.secretsManager().createSecret(r -> r.name(caSecret).description("the stack's server CA list"));
        kms = new KmsOwnedCa(new SecretsManagerPublishedCas(aws.secretsManager(), caSecret), aws.kms(), new KmsSigner(aws.kms(), stackAlias),
                "relay-link-" + suffix, () -> new ServerCaKeyPolicy("arn:aws:iam::123456789012:role/relay-link-ca-key-admin",
                        List.of("arn:aws:iam::123456789012:role/relay-link-reconcile"), "arn:aws:iam::123456789012:role/relay-link-reconcile"));
        AzureClients clients = AzureClients.forEndpoint(new FixedTokenCredential(), azure.clientTrust(), azure.resourceManagerEndpoint());
        keyVault = KeyVaultOwnedCa.of(clients.keys(azure.vaultUrl()), clients.secrets(azure.vaultUrl()), "relay-client-ca");
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void bothStoresKeepTheSameGenerationsThroughATurnover() {
        Turnover server = new Turnover(kms);
        Turnover client = new Turnover(keyVault);
        List<List<String>> expected = List.of(
                List.of("g1"),                 // the first generation issues
                List.of("g1", "g2"),           // the next one is trusted, not issuing yet
                List.of("g2", "g1"),           // the switch, and its retry
                List.of("g2", "g1"),           // retiring the issuing CA is refused, nothing changes
                List.of("g2", "g1"),           // retiring a CA that was never the store's changes nothing
                List.of("g2"),                 // the previous one retired after it expired, and the retry
                List.of("g2", "g3"),
                List.of("g3"));                // a second turnover ends with the third generation alone

        for (Turnover side : List.of(server, client)) {
            side.create("g1", T0);
            side.record();
            side.create("g2", T0.plus(Duration.ofDays(275)));
            side.record();
            side.store.startIssuing(side.ca("g2"));
            side.store.startIssuing(side.ca("g2"));
            side.record();
            assertThatThrownBy(() -> side.store.retire(side.ca("g2"))).isInstanceOf(PkiException.class).hasMessageContaining("issues");
            side.record();
            assertThat(issuingKeyUsable(side)).as("the refused retirement left the issuing CA's key in use").isTrue();
            side.store.retire(CertificateAuthority.selfSigned(InMemorySigner.generate(), "someone else's CA", T0, LIFETIME).certificate());
            side.record();
            side.store.retire(side.ca("g1"));
            side.store.retire(side.ca("g1"));
            side.record();
            side.create("g3", T0.plus(Duration.ofDays(550)));
            side.store.startIssuing(side.ca("g3"));
            side.store.startIssuing(side.ca("g2")); // back, then forward again: the order follows the calls
            side.record();
            side.store.startIssuing(side.ca("g3"));
            side.store.retire(side.ca("g2"));
            side.record();
        }

        assertThat(client.kept).as("Key Vault keeps what KMS keeps").isEqualTo(server.kept);
        assertThat(server.kept).isEqualTo(expected);
    }

    /**
     * Whether the issuing CA's key is still in use: KMS not pending deletion (the AWS emulator's Sign
     * ignores the key state), Key Vault enabled (the fake refuses to sign with a disabled version, which
     * {@link Turnover#record} checks).
     */
    private boolean issuingKeyUsable(Turnover side) {
        if (side.store != kms) {
            return true;
        }
        String alias = kms.aliasFor(side.store.current().orElseThrow().certificate().getPublicKey());
        return AWS.get().kms().describeKey(r -> r.keyId(alias)).keyMetadata().keyState() == KeyState.ENABLED;
    }

    /** One store's run of the turnover: its generations by name, and after each step the names it keeps, issuing first. */
    private static final class Turnover {
        final OwnedCa store;
        final Map<String, X509Certificate> generations = new HashMap<>();
        final List<List<String>> kept = new ArrayList<>();

        Turnover(OwnedCa store) {
            this.store = store;
        }

        void create(String name, Instant at) {
            generations.put(name, store.create("relay-link CA " + name, at, LIFETIME).certificate());
        }

        X509Certificate ca(String name) {
            return generations.get(name);
        }

        /** What the store keeps now; and its issuing CA still signs with its own key. */
        void record() {
            List<String> names = new ArrayList<>();
            for (X509Certificate ca : store.certificates()) {
                names.add(generations.entrySet().stream().filter(e -> Certificates.fingerprint(e.getValue()).equals(Certificates.fingerprint(ca)))
                        .map(Map.Entry::getKey).findFirst().orElse("unknown"));
            }
            kept.add(List.copyOf(names));
            CertificateAuthority issuing = store.current().orElseThrow();
            Instant at = issuing.certificate().getNotBefore().toInstant().plus(Duration.ofDays(1));
            X509Certificate leaf = issuing.issueClient(Keys.generateP256().getPublic(), TestPki.workload("payments", "checkout"), at, Duration.ofDays(7));
            assertThat(Certificates.issuedBy(leaf, issuing.certificate())).as("the issuing CA %s signs", names.get(0)).isTrue();
        }
    }
}
