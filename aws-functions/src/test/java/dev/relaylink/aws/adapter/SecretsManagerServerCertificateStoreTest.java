package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.PkiException;
import dev.relaylink.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Versions and staging labels of the server certificate secret, against the AWS emulator's Secrets Manager. */
class SecretsManagerServerCertificateStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final TestPki PKI = new TestPki(NOW);

    private AwsClients aws;
    private String secretId;
    private SecretsManagerServerCertificateStore store;

    @BeforeEach
    void setUp() {
        aws = Emulator.clients();
        secretId = "relay-link/server-tls-" + UUID.randomUUID();
        store = new SecretsManagerServerCertificateStore(aws.secretsManager(), secretId);
    }

    @Test
    void anAbsentSecretHasNoCurrentVersion() {
        assertThat(store.current()).isEmpty();
        assertThat(store.currentToken()).isEmpty();
        assertThat(store.pending(token())).isEmpty();
    }

    @Test
    void rotatesByTokenAndMovesTheCurrentLabel() {
        Credential first = PKI.server(TestPki.RELAY_HOST, NOW, Duration.ofDays(30));
        Credential second = PKI.server(TestPki.RELAY_HOST, NOW, Duration.ofDays(30));
        String t1 = token();
        String t2 = token();
        aws.secretsManager().createSecret(r -> r.name(secretId));

        store.putPending(t1, first);
        store.promote(t1);
        store.putPending(t2, second);

        assertThat(store.currentToken()).contains(t1);
        assertThat(fingerprint(store.current().orElseThrow())).isEqualTo(fingerprint(first));
        assertThat(fingerprint(store.pending(t2).orElseThrow())).isEqualTo(fingerprint(second));
        assertThat(store.current().orElseThrow().key().getEncoded()).isEqualTo(first.key().getEncoded());

        store.promote(t2);
        store.promote(t2); // a retried finish changes nothing

        assertThat(store.currentToken()).contains(t2);
        assertThat(fingerprint(store.current().orElseThrow())).isEqualTo(fingerprint(second));
        var stages = aws.secretsManager().describeSecret(r -> r.secretId(secretId)).versionIdsToStages();
        assertThat(stages.get(t1)).containsExactly("AWSPREVIOUS");
        assertThat(stages.get(t2)).contains("AWSCURRENT");
    }

    @Test
    void aRetriedCreateStepKeepsTheFirstVersionOfItsToken() {
        aws.secretsManager().createSecret(r -> r.name(secretId));
        String t = token();
        Credential first = PKI.server(TestPki.RELAY_HOST, NOW, Duration.ofDays(30));

        store.putPending(t, first);
        store.putPending(t, PKI.server(TestPki.RELAY_HOST, NOW, Duration.ofDays(30)));

        assertThat(fingerprint(store.pending(t).orElseThrow())).isEqualTo(fingerprint(first));
        assertThat(aws.secretsManager().listSecretVersionIds(r -> r.secretId(secretId)).versions()).hasSize(1);
    }

    @Test
    void aMissingSecretIsAConfigurationErrorNamingTheStackResourceAndNothingIsCreated() {
        Credential credential = PKI.server(TestPki.RELAY_HOST, NOW, Duration.ofDays(30));

        assertThatThrownBy(() -> store.putPending(token(), credential))
                .isInstanceOfSatisfying(MissingStackSecretException.class, e -> assertThat(e.secretId()).isEqualTo(secretId))
                .hasMessageContaining("'" + secretId + "' does not exist").hasMessageContaining("ServerCertificateSecret");
        assertThatThrownBy(() -> aws.secretsManager().describeSecret(r -> r.secretId(secretId)))
                .as("the functions create no secret").isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void promotingAnUnknownTokenFails() {
        aws.secretsManager().createSecret(r -> r.name(secretId));
        store.putPending(token(), PKI.server(TestPki.RELAY_HOST, NOW, Duration.ofDays(30)));

        String unknown = token();
        assertThatThrownBy(() -> store.promote(unknown)).hasMessageContaining("no version for rotation token " + unknown);
    }

    @Test
    void aMalformedValueIsAnErrorThatDoesNotEchoIt() {
        aws.secretsManager().createSecret(r -> r.name(secretId).secretString("{\"certificate\":\"not a pem\",\"privateKey\":\"s3cr3t-material\"}"));

        assertThatThrownBy(() -> store.current()).isInstanceOf(PkiException.class)
                .hasMessageContaining(secretId)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t-material"));
    }

    private static String token() {
        return UUID.randomUUID().toString();
    }

    private static String fingerprint(Credential credential) {
        return dev.relaylink.pki.Certificates.fingerprint(credential.leaf());
    }
}
