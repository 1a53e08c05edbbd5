package dev.relaylink.k8s;

import dev.relaylink.pki.Pem;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Builds the fabric8 client relay-link uses for EKS and AKS: the JDK HttpClient transport, the
 * cluster's CA pinned, a bearer token from the cloud's identity (an EKS token from STS, an Entra
 * ID token for AKS) refreshed before it expires, and nothing read from kubeconfig or the environment.
 */
public final class KubernetesClients {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int REQUEST_TIMEOUT_MS = 15_000;
    private static final int RETRY_LIMIT = 3;
    private static final int RETRY_INTERVAL_MS = 200;

    private KubernetesClients() {
    }

    /**
     * @param masterUrl the API server, e.g. the EKS cluster endpoint
     * @param bearerToken fetches a fresh token; called again only shortly before the previous one expires
     * @param caCertificatePem the cluster CA in PEM (EKS and AKS give it base64-encoded: decode it first)
     */
    public static KubernetesClient create(String masterUrl, Supplier<String> bearerToken, String caCertificatePem) {
        RefreshingBearerToken token = new RefreshingBearerToken(bearerToken, Clock.systemUTC());
        Pem.readCertificates(caCertificatePem); // a clear error now instead of a TLS failure on the first call
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(masterUrl)
                // fabric8 takes CA data base64-encoded, as kubeconfig's certificate-authority-data
                .withCaCertData(Base64.getEncoder().encodeToString(caCertificatePem.getBytes(StandardCharsets.UTF_8)))
                .withOauthTokenProvider(token::get)
                .withConnectionTimeout(CONNECT_TIMEOUT_MS)
                .withRequestTimeout(REQUEST_TIMEOUT_MS)
                .withRequestRetryBackoffLimit(RETRY_LIMIT)
                .withRequestRetryBackoffInterval(RETRY_INTERVAL_MS)
                .build();
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
    }
}
