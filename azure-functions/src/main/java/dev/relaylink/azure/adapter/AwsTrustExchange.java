package dev.relaylink.azure.adapter;

import dev.relaylink.pki.Pem;
import dev.relaylink.port.TrustExchange;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * The AWS side's CA certificate secrets (PEM lists, current first, label AWSCURRENT), reached from
 * Azure with federation only: an Entra ID token of the function app's identity is exchanged with
 * STS {@code AssumeRoleWithWebIdentity} for the link's trust exchange role, whose credentials are
 * fetched again (with a fresh token) before they expire. The role may write the client CA secret
 * and read the server CA secret, nothing else.
 */
public final class AwsTrustExchange implements TrustExchange {
    private static final Logger LOG = LoggerFactory.getLogger(AwsTrustExchange.class);
    private static final String CURRENT = "AWSCURRENT";
    /** The audience of the Entra ID token AWS accepts (the IAM OIDC provider's client id). */
    public static final String TOKEN_SCOPE = "api://AzureADTokenExchange/.default";

    /**
     * Where the exchange goes.
     *
     * @param endpoint AWS_ENDPOINT_URL when set (the AWS emulator in tests), otherwise the regional endpoints
     * @param clientCaSecretId name or ARN of the secret the AWS side reads the client CA certificates from
     * @param serverCaSecretId name or ARN of the secret the AWS side publishes its server CA certificates in
     * @param clientCasInGatewaySecretId where the AWS side confirms the client CAs its gateway's bundle holds
     * @param serverCasInWorkloadsSecretId where this side confirms the server CAs its workloads' bundles hold
     */
    public record Settings(Region region, Optional<URI> endpoint, String roleArn, String clientCaSecretId, String serverCaSecretId,
                           String clientCasInGatewaySecretId, String serverCasInWorkloadsSecretId) {

        /** The confirmations named after the CA secrets, as the AWS stack names them. */
        public Settings(Region region, Optional<URI> endpoint, String roleArn, String clientCaSecretId, String serverCaSecretId) {
            this(region, endpoint, roleArn, clientCaSecretId, serverCaSecretId, clientCaSecretId + "-in-gateway",
                    serverCaSecretId + "-in-workloads");
        }
    }

    /** How long STS credentials live, and how early they are replaced. */
    static final Duration SESSION = Duration.ofHours(1);
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);
    // Azure Functions run for minutes; a hung AWS call should fail the run and let the timer retry it.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final SecretsManagerClient secrets;
    private final String clientCaSecretId;
    private final String serverCaSecretId;
    private final String clientCasInGatewaySecretId;
    private final String serverCasInWorkloadsSecretId;

    public AwsTrustExchange(SecretsManagerClient secrets, String clientCaSecretId, String serverCaSecretId) {
        this(secrets, clientCaSecretId, serverCaSecretId, clientCaSecretId + "-in-gateway", serverCaSecretId + "-in-workloads");
    }

    public AwsTrustExchange(SecretsManagerClient secrets, String clientCaSecretId, String serverCaSecretId, String clientCasInGatewaySecretId,
                            String serverCasInWorkloadsSecretId) {
        this.secrets = secrets;
        this.clientCaSecretId = clientCaSecretId;
        this.serverCaSecretId = serverCaSecretId;
        this.clientCasInGatewaySecretId = clientCasInGatewaySecretId;
        this.serverCasInWorkloadsSecretId = serverCasInWorkloadsSecretId;
    }

    /** The exchange with credentials from {@code AssumeRoleWithWebIdentity}, each time with a token from {@code webIdentityToken}. */
    public static AwsTrustExchange federated(Settings settings, Supplier<String> webIdentityToken) {
        return new AwsTrustExchange(secretsManager(settings, credentials(settings, webIdentityToken)),
                settings.clientCaSecretId(), settings.serverCaSecretId(), settings.clientCasInGatewaySecretId(),
                settings.serverCasInWorkloadsSecretId());
    }

    /**
     * Role credentials the SDK renews {@link #REFRESH_BEFORE_EXPIRY} before they expire (on the calling
     * thread: a function app has no idle time for a background refresh), each time with a new token.
     */
    static StsAssumeRoleWithWebIdentityCredentialsProvider credentials(Settings settings, Supplier<String> webIdentityToken) {
        // AssumeRoleWithWebIdentity is not signed: the token is the credential.
        StsClient sts = configure(StsClient.builder(), settings, AnonymousCredentialsProvider.create()).httpClient(http()).build();
        return StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(assumeRoleRequest(settings, webIdentityToken))
                .prefetchTime(REFRESH_BEFORE_EXPIRY)
                .staleTime(Duration.ofMinutes(1))
                .asyncCredentialUpdateEnabled(false)
                .build();
    }

    /** The request of each renewal: a token fetched for it (Entra ID tokens expire too), the role, a one-hour session. */
    static Supplier<AssumeRoleWithWebIdentityRequest> assumeRoleRequest(Settings settings, Supplier<String> webIdentityToken) {
        String session = "relay-link-" + ProcessHandle.current().pid();
        return () -> {
            LOG.debug("assuming {} with a new Entra ID token", settings.roleArn());
            return AssumeRoleWithWebIdentityRequest.builder()
                    .roleArn(settings.roleArn()).roleSessionName(session)
                    .durationSeconds((int) SESSION.toSeconds())
                    .webIdentityToken(webIdentityToken.get()).build();
        };
    }

    static SecretsManagerClient secretsManager(Settings settings, AwsCredentialsProvider credentials) {
        return configure(SecretsManagerClient.builder(), settings, credentials).httpClient(http()).build();
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, Settings settings, AwsCredentialsProvider credentials) {
        builder.region(settings.region()).credentialsProvider(credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(API_CALL_TIMEOUT).build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    private static SdkHttpClient http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT).build();
    }

    @Override
    public List<X509Certificate> publishedClientCas() {
        return read(clientCaSecretId);
    }

    @Override
    public boolean publishClientCas(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("an empty client CA list would leave the EKS gateway trusting nobody");
        }
        String published = value(clientCaSecretId);
        if (certificates.equals(certificates(published))) {
            return false;
        }
        // The revocation list published beside the certificates stays.
        write(clientCaSecretId, Pem.write(certificates) + blocks(published, Pem.CRL), certificates.size(), "client CA certificates",
                "output ClientCaCertificatesSecretArn");
        return true;
    }

    @Override
    public List<X509Certificate> clientCasInGateway() {
        return read(clientCasInGatewaySecretId);
    }

    @Override
    public List<X509Certificate> serverCasInWorkloads() {
        return read(serverCasInWorkloadsSecretId);
    }

    @Override
    public boolean acknowledgeServerCasInWorkloads(List<X509Certificate> certificates) {
        if (certificates.isEmpty() || certificates.equals(serverCasInWorkloads())) {
            return false;
        }
        write(serverCasInWorkloadsSecretId, Pem.write(certificates), certificates.size(), "server CA certificates every workload's bundle holds",
                "resource ServerCaInWorkloadsSecret");
        return true;
    }

    /** A new version labelled AWSCURRENT in one call: the old one stays current until this succeeds. */
    private void write(String secretId, String value, int count, String what, String stackResource) {
        String version;
        try {
            version = secrets.putSecretValue(r -> r.secretId(secretId).secretString(value)).versionId();
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("the AWS secret " + secretId + " does not exist: the AWS stack creates it ("
                    + stackResource + "); the trust exchange role may write it but not create it", e);
        }
        LOG.info("published {} {} to {} (version {})", count, what, secretId, version);
    }

    @Override
    public java.util.Optional<String> publishedRevocationList() {
        String crl = blocks(value(clientCaSecretId), Pem.CRL);
        return crl.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(crl);
    }

    @Override
    public boolean publishRevocationList(String crlPem) {
        Pem.readRevocationList(crlPem);
        String published = value(clientCaSecretId);
        String cas = blocks(published, Pem.CERTIFICATE);
        if (cas.isEmpty()) {
            throw new IllegalStateException("no client CA certificates are published in " + clientCaSecretId + ": publish them before their revocation list");
        }
        if (crlPem.equals(blocks(published, Pem.CRL))) {
            return false;
        }
        String version = secrets.putSecretValue(r -> r.secretId(clientCaSecretId).secretString(cas + crlPem)).versionId();
        LOG.info("published the client CA revocation list ({} revoked) to {} (version {})",
                java.util.Objects.requireNonNullElse(Pem.readRevocationList(crlPem).getRevokedCertificates(), java.util.Set.of()).size(),
                clientCaSecretId, version);
        return true;
    }

    @Override
    public List<X509Certificate> serverCas() {
        return read(serverCaSecretId);
    }

    /** The AWSCURRENT PEM list; empty when the secret has no value yet (the stack creates them empty). */
    private List<X509Certificate> read(String secretId) {
        return certificates(value(secretId));
    }

    /** The AWSCURRENT value; empty text when the secret or its value does not exist yet. */
    private String value(String secretId) {
        try {
            String pem = secrets.getSecretValue(r -> r.secretId(secretId).versionStage(CURRENT)).secretString();
            return pem == null ? "" : pem;
        } catch (ResourceNotFoundException e) {
            return "";
        }
    }

    /** The certificates of a published value, which may also carry the CA's revocation list. */
    private static List<X509Certificate> certificates(String pem) {
        String certificates = blocks(pem, Pem.CERTIFICATE);
        return certificates.isEmpty() ? List.of() : Pem.readCertificates(certificates);
    }

    private static String blocks(String pem, String type) {
        return pem.isBlank() ? "" : Pem.blocksOf(pem, type);
    }
}
