package dev.relaylink.azure.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The trust exchange against the AWS emulator (moto accepts AssumeRoleWithWebIdentity without
 * checking the token's signature, so the flow runs end to end: token, role credentials, Secrets
 * Manager calls signed with them). Skipped without AWS_ENDPOINT_URL.
 */
class AwsTrustExchangeTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/relay-link-demo-azure-trust-exchange";
    private static final Instant NOW = Instant.now();

    private final String link = "relay-link-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger tokens = new AtomicInteger();
    private final Supplier<String> entraToken = () -> "entra-token-" + tokens.incrementAndGet();
    private final X509Certificate clientCa = ca("client CA 1");
    private final X509Certificate nextClientCa = ca("client CA 2");
    private final X509Certificate serverCa = ca("server CA 1");
    private AwsTrustExchange.Settings settings;
    private SecretsManagerClient admin;

    @BeforeEach
    void emulator() {
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        assumeTrue(endpoint != null && !endpoint.isBlank(), "AWS_ENDPOINT_URL is not set: start the AWS emulator (scripts/test does)");
        Region region = Region.of(Optional.ofNullable(System.getenv("AWS_REGION")).orElse("eu-west-1"));
        settings = new AwsTrustExchange.Settings(region, Optional.of(URI.create(endpoint)), ROLE,
                link + "/server-tls-client-ca", link + "/server-tls-ca");
        // The AWS stack's side: the secrets exist, the client CA one empty, the server CA one written by the AWS bootstrap.
        admin = SecretsManagerClient.builder().region(region).endpointOverride(URI.create(endpoint))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
        admin.createSecret(r -> r.name(settings.clientCaSecretId()));
        admin.createSecret(r -> r.name(settings.serverCaSecretId()).secretString(Pem.write(List.of(serverCa))));
    }

    @AfterEach
    void close() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void publishesTheClientCasAndReadsTheServerCasWithRoleCredentialsFromAnEntraToken() {
        AwsTrustExchange exchange = AwsTrustExchange.federated(settings, entraToken);

        assertThat(exchange.publishedClientCas()).as("the stack creates the secret empty").isEmpty();
        assertThat(exchange.publishClientCas(List.of(nextClientCa, clientCa))).isTrue();

        assertThat(current(settings.clientCaSecretId())).isEqualTo(Pem.write(List.of(nextClientCa, clientCa)));
        assertThat(exchange.publishedClientCas()).containsExactly(nextClientCa, clientCa);
        assertThat(exchange.serverCas()).containsExactly(serverCa);
        assertThat(tokens).as("one Entra ID token for one role session").hasValue(1);
    }

    @Test
    void theCallsAreMadeAsTheAssumedRoleWithOneHourCredentials() {
        var credentials = AwsTrustExchange.credentials(settings, entraToken);
        AwsSessionCredentials session = (AwsSessionCredentials) credentials.resolveCredentials();
        try (StsClient sts = StsClient.builder().region(settings.region()).endpointOverride(settings.endpoint().orElseThrow())
                .credentialsProvider(credentials)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            assertThat(sts.getCallerIdentity().arn()).endsWith(":assumed-role/relay-link-demo-azure-trust-exchange/relay-link-"
                    + ProcessHandle.current().pid());
        }
        assertThat(session.expirationTime()).hasValueSatisfying(expiry ->
                assertThat(Duration.between(Instant.now(), expiry)).isBetween(Duration.ofMinutes(55), Duration.ofMinutes(61)));
    }

    @Test
    void everyRenewalAsksForAFreshTokenAndTheSdkRenewsBeforeExpiry() {
        var request = AwsTrustExchange.assumeRoleRequest(settings, entraToken);
        var first = request.get();
        var second = request.get();

        assertThat(first.webIdentityToken()).isEqualTo("entra-token-1");
        assertThat(second.webIdentityToken()).as("never a token cached from an earlier session").isEqualTo("entra-token-2");
        assertThat(second.roleArn()).isEqualTo(ROLE);
        assertThat(second.durationSeconds()).isEqualTo(3600);
        var credentials = AwsTrustExchange.credentials(settings, entraToken);
        assertThat(credentials.prefetchTime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(credentials.staleTime()).isEqualTo(Duration.ofMinutes(1));

        // within the session the credentials are reused: one token for many calls
        AwsTrustExchange exchange = AwsTrustExchange.federated(settings, entraToken);
        int before = tokens.get();
        exchange.serverCas();
        exchange.serverCas();
        exchange.publishedClientCas();
        assertThat(tokens.get()).isEqualTo(before + 1);
    }

    @Test
    void theRevocationListIsPublishedAfterTheCertificatesAndEachWriteKeepsTheOther() {
        CertificateAuthority authority = CertificateAuthority.selfSigned(InMemorySigner.generate(), "client CA 3", NOW.minus(Duration.ofDays(1)),
                Duration.ofDays(365));
        String crl = Pem.write(authority.revocationList(List.of(), NOW, Duration.ofDays(7)));
        AwsTrustExchange exchange = AwsTrustExchange.federated(settings, entraToken);
        assertThat(exchange.publishedRevocationList()).isEmpty();
        assertThatThrownBy(() -> exchange.publishRevocationList(crl)).as("no certificates published yet").isInstanceOf(IllegalStateException.class);

        exchange.publishClientCas(List.of(authority.certificate()));
        assertThat(exchange.publishRevocationList(crl)).isTrue();
        assertThat(exchange.publishRevocationList(crl)).isFalse();
        assertThat(exchange.publishClientCas(List.of(nextClientCa, authority.certificate()))).isTrue();

        assertThat(exchange.publishedRevocationList()).contains(crl);
        assertThat(exchange.publishedClientCas()).containsExactly(nextClientCa, authority.certificate());
        // and the AWS side reads both from the one value
        String value = admin.getSecretValue(r -> r.secretId(settings.clientCaSecretId())).secretString();
        assertThat(value).startsWith("-----BEGIN CERTIFICATE-----").endsWith("-----END X509 CRL-----\n");
        assertThatThrownBy(() -> exchange.publishRevocationList("not a CRL")).isInstanceOf(PkiException.class);
    }

    @Test
    void publishingWhatIsThereWritesNothing() {
        AwsTrustExchange exchange = AwsTrustExchange.federated(settings, entraToken);
        exchange.publishClientCas(List.of(clientCa));
        int versions = versions(settings.clientCaSecretId());

        assertThat(exchange.publishClientCas(List.of(clientCa))).isFalse();
        assertThat(versions(settings.clientCaSecretId())).isEqualTo(versions);
        // a new CA in front is a change
        assertThat(exchange.publishClientCas(List.of(nextClientCa, clientCa))).isTrue();
        assertThat(versions(settings.clientCaSecretId())).isEqualTo(versions + 1);
    }

    @Test
    void aFailedExchangeLeavesTheOldBundlePublished() {
        AwsTrustExchange.federated(settings, entraToken).publishClientCas(List.of(clientCa));
        String before = current(settings.clientCaSecretId());

        AwsTrustExchange noEntra = AwsTrustExchange.federated(settings, () -> {
            throw new IllegalStateException("Entra ID is unreachable");
        });
        assertThatThrownBy(() -> noEntra.publishClientCas(List.of(nextClientCa, clientCa))).hasStackTraceContaining("Entra ID is unreachable");
        assertThat(current(settings.clientCaSecretId())).isEqualTo(before);

        // a secret scheduled for deletion refuses the write: still the old bundle once restored
        admin.deleteSecret(r -> r.secretId(settings.clientCaSecretId()).recoveryWindowInDays(7L));
        AwsTrustExchange exchange = AwsTrustExchange.federated(settings, entraToken);
        assertThatThrownBy(() -> exchange.publishClientCas(List.of(nextClientCa, clientCa)));
        admin.restoreSecret(r -> r.secretId(settings.clientCaSecretId()));
        assertThat(current(settings.clientCaSecretId())).isEqualTo(before);
        assertThat(exchange.publishedClientCas()).containsExactly(clientCa);
    }

    @Test
    void aMissingSecretIsNamedAndNeverCreated() {
        AwsTrustExchange exchange = AwsTrustExchange.federated(new AwsTrustExchange.Settings(settings.region(), settings.endpoint(), ROLE,
                link + "/not-deployed", settings.serverCaSecretId()), entraToken);

        assertThat(exchange.publishedClientCas()).isEmpty();
        assertThatThrownBy(() -> exchange.publishClientCas(List.of(clientCa))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(link + "/not-deployed").hasMessageContaining("ClientCaCertificatesSecretArn");
        assertThat(admin.listSecrets().secretList()).noneMatch(s -> s.name().equals(link + "/not-deployed"));
        assertThatThrownBy(() -> exchange.publishClientCas(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private String current(String secretId) {
        return admin.getSecretValue(r -> r.secretId(secretId).versionStage("AWSCURRENT")).secretString();
    }

    private int versions(String secretId) {
        return admin.listSecretVersionIds(r -> r.secretId(secretId)).versions().size();
    }

    private static X509Certificate ca(String name) {
        return CertificateAuthority.selfSigned(InMemorySigner.generate(), name, NOW.minus(Duration.ofDays(1)), Duration.ofDays(365)).certificate();
    }
}
