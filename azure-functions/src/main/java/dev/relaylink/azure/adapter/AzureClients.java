package dev.relaylink.azure.adapter;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.privatedns.PrivateDnsZoneManager;
import com.azure.resourcemanager.resources.fluentcore.utils.HttpPipelineProvider;
import com.azure.security.keyvault.certificates.CertificateClient;
import com.azure.security.keyvault.certificates.CertificateClientBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Builds the Azure SDK clients relay-link uses, all on one JDK HttpClient and one credential.
 * In Azure the credential is {@code DefaultAzureCredential} (managed or workload identity); tests
 * and the local run pass their own credential, the TLS trust of a local endpoint and its ARM URL.
 */
public final class AzureClients {
    /** Key Vault and ARM calls are small; a call that has not answered by then will not. */
    private static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final TokenCredential credential;
    private final HttpClient httpClient;
    private final AzureEnvironment environment;
    private final boolean verifyVaultChallengeResource;
    private final HttpPipeline armPipeline;
    private final Map<String, NetworkManager> networkBySubscription = new ConcurrentHashMap<>();
    private final Map<String, PrivateDnsZoneManager> privateDnsBySubscription = new ConcurrentHashMap<>();

    private AzureClients(TokenCredential credential, HttpClient httpClient, AzureEnvironment environment,
                         boolean verifyVaultChallengeResource) {
        this.credential = Objects.requireNonNull(credential, "credential");
        this.httpClient = httpClient;
        this.environment = environment;
        this.verifyVaultChallengeResource = verifyVaultChallengeResource;
        // One ARM pipeline (auth, retry, the shared client); a manager per subscription only binds paths.
        this.armPipeline = HttpPipelineProvider.buildHttpPipeline(credential, new AzureProfile(null, null, environment), null,
                new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE), null, null, null, httpClient);
    }

    /** Public Azure, {@code DefaultAzureCredential}: managed identity or workload identity in the function app. */
    public static AzureClients production() {
        HttpClient http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)).build();
        TokenCredential credential = new DefaultAzureCredentialBuilder().httpClient(http).build();
        return new AzureClients(credential, http, AzureEnvironment.AZURE, true);
    }

    /**
     * Clients for a local endpoint that speaks the Azure REST APIs (the test fake): {@code trust}
     * holds its TLS certificate and ARM calls go to {@code resourceManagerEndpoint}. Key Vault's check
     * that the challenge names a {@code *.vault.azure.net} resource is off, because the vault is not there.
     */
    public static AzureClients forEndpoint(TokenCredential credential, SSLContext trust, URI resourceManagerEndpoint) {
        HttpClient http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT).sslContext(trust)).build();
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", resourceManagerEndpoint.toString());
        return new AzureClients(credential, http, new AzureEnvironment(endpoints), false);
    }

    /** The vault URL of a vault name in public Azure. */
    public static String vaultUrl(String vaultName) {
        return "https://" + vaultName + ".vault.azure.net";
    }

    public HttpClient httpClient() {
        return httpClient;
    }

    /** The one credential behind every client; other Entra ID tokens (such as AKS's) should come from it too. */
    public TokenCredential credential() {
        return credential;
    }

    public KeyClient keys(String vaultUrl) {
        KeyClientBuilder builder = new KeyClientBuilder().vaultUrl(vaultUrl).credential(credential).httpClient(httpClient);
        return (verifyVaultChallengeResource ? builder : builder.disableChallengeResourceVerification()).buildClient();
    }

    public SecretClient secrets(String vaultUrl) {
        SecretClientBuilder builder = new SecretClientBuilder().vaultUrl(vaultUrl).credential(credential).httpClient(httpClient);
        return (verifyVaultChallengeResource ? builder : builder.disableChallengeResourceVerification()).buildClient();
    }

    public CertificateClient certificates(String vaultUrl) {
        CertificateClientBuilder builder = new CertificateClientBuilder().vaultUrl(vaultUrl).credential(credential).httpClient(httpClient);
        return (verifyVaultChallengeResource ? builder : builder.disableChallengeResourceVerification()).buildClient();
    }

    public NetworkManager network(String subscriptionId) {
        return networkBySubscription.computeIfAbsent(subscriptionId,
                id -> NetworkManager.authenticate(armPipeline, new AzureProfile(null, id, environment)));
    }

    public PrivateDnsZoneManager privateDns(String subscriptionId) {
        return privateDnsBySubscription.computeIfAbsent(subscriptionId,
                id -> PrivateDnsZoneManager.authenticate(armPipeline, new AzureProfile(null, id, environment)));
    }
}
