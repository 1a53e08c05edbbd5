package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.PkiException;
import dev.relaylink.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.Tag;

/** The server CA generations on KMS keys (the AWS emulator): one new key per generation, retired keys scheduled for deletion. */
class KmsOwnedCaTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final ServerCaKeyPolicy POLICY = new ServerCaKeyPolicy("arn:aws:iam::123456789012:role/relay-link-ca-key-admin",
            List.of("arn:aws:iam::123456789012:role/relay-link-reconcile", "arn:aws:iam::123456789012:role/relay-link-rotation"),
            "arn:aws:iam::123456789012:role/relay-link-reconcile");

    private AwsClients aws;
    private String stackAlias;
    private KmsOwnedCa store;
    private String secret;

    @BeforeEach
    void setUp() {
        aws = Emulator.clients();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        stackAlias = "alias/relay-link-" + suffix + "-server-ca";
        String keyId = aws.kms().createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
        aws.kms().createAlias(r -> r.aliasName(stackAlias).targetKeyId(keyId));
        secret = "relay-link/server-tls-" + suffix + "-ca";
        aws.secretsManager().createSecret(r -> r.name(secret).description("the stack's server CA certificates (ServerCaCertificatesSecret)"));
        store = store(stackAlias);
    }

    private KmsOwnedCa store(String alias) {
        return new KmsOwnedCa(new SecretsManagerPublishedCas(aws.secretsManager(), secret), aws.kms(), new KmsSigner(aws.kms(), alias),
                "relay-link-demo", () -> POLICY);
    }

    @Test
    void theFirstGenerationIsOnTheStacksKeyAndEachLaterOneOnANewKeyWithTheGenerationPolicy() throws Exception {
        assertThat(store.current()).isEmpty();
        CertificateAuthority first = store.create("relay-link server CA", NOW, Duration.ofDays(365));
        CertificateAuthority next = store.create("relay-link server CA", NOW.plus(Duration.ofDays(275)), Duration.ofDays(365));

        // the next generation is trusted, not issuing
        assertThat(CaGenerations.of(store.certificates())).extracting(g -> g.state().name()).containsExactly("ISSUING", "NEXT");
        assertThat(Certificates.fingerprint(store.current().orElseThrow().certificate())).isEqualTo(Certificates.fingerprint(first.certificate()));
        assertThat(first.certificate().getPublicKey()).isEqualTo(new KmsSigner(aws.kms(), stackAlias).publicKey());

        // its key: P-256 sign/verify, tagged with the link, the generation policy, found by an alias named after its public key
        String alias = store.aliasFor(next.certificate().getPublicKey());
        assertThat(alias).startsWith(stackAlias + "-");
        var key = aws.kms().describeKey(r -> r.keyId(alias)).keyMetadata();
        assertThat(key.keySpec()).isEqualTo(KeySpec.ECC_NIST_P256);
        assertThat(key.keyUsage()).isEqualTo(KeyUsageType.SIGN_VERIFY);
        Map<String, String> tags = aws.kms().listResourceTags(r -> r.keyId(key.keyId())).tags().stream()
                .collect(Collectors.toMap(Tag::tagKey, Tag::tagValue));
        assertThat(tags).containsEntry(KmsOwnedCa.LINK_TAG, "relay-link-demo").containsEntry(KmsOwnedCa.PURPOSE_TAG, "server-ca");
        JsonNode policy = JsonLines.JSON.readTree(aws.kms().getKeyPolicy(r -> r.keyId(key.keyId()).policyName("default")).policy());
        assertThat(policy).isEqualTo(JsonLines.JSON.readTree(POLICY.json()));

        // once it issues, leaves are signed in KMS by the new key
        store.startIssuing(next.certificate());
        store.startIssuing(next.certificate()); // a retry changes nothing
        assertThat(CaGenerations.of(store.certificates())).extracting(g -> g.state().name()).containsExactly("ISSUING", "PREVIOUS");
        X509Certificate leaf = store.current().orElseThrow()
                .issueServer(Keys.generateP256().getPublic(), TestPki.RELAY_HOST, NOW.plus(Duration.ofDays(276)), Duration.ofDays(30));
        assertThat(Certificates.issuedBy(leaf, next.certificate())).isTrue();
        assertThat(Certificates.issuedBy(leaf, first.certificate())).isFalse();
    }

    @Test
    void retiringAGenerationSchedulesItsKeyForDeletionAndDropsItsCertificateButLeavesTheStacksKey() {
        CertificateAuthority first = store.create("relay-link server CA", NOW, Duration.ofDays(365));
        CertificateAuthority second = store.create("relay-link server CA", NOW.plus(Duration.ofDays(275)), Duration.ofDays(365));
        store.startIssuing(second.certificate());
        CertificateAuthority third = store.create("relay-link server CA", NOW.plus(Duration.ofDays(550)), Duration.ofDays(365));

        store.retire(first.certificate());
        assertThat(aws.kms().describeKey(r -> r.keyId(stackAlias)).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);
        store.startIssuing(third.certificate());
        store.retire(second.certificate());
        store.retire(second.certificate()); // a retry after a crash: the key is pending deletion already

        var key = aws.kms().describeKey(r -> r.keyId(store.aliasFor(second.certificate().getPublicKey()))).keyMetadata();
        assertThat(key.keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(store.certificates()).extracting(Certificates::fingerprint).containsExactly(Certificates.fingerprint(third.certificate()));
        assertThatThrownBy(() -> store.retire(third.certificate())).isInstanceOf(PkiException.class).hasMessageContaining("issues");
    }

    @Test
    void aCertificateForAnotherKeyIsNotACa() {
        store.create("relay-link server CA", NOW, Duration.ofDays(365));
        String other = "alias/relay-link-other-" + UUID.randomUUID().toString().substring(0, 8);
        String keyId = aws.kms().createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
        aws.kms().createAlias(r -> r.aliasName(other).targetKeyId(keyId));

        // the published certificate is not the other store's stack key, and no generation alias names it
        assertThatThrownBy(() -> store(other).current()).isInstanceOf(RuntimeException.class);
    }
}
