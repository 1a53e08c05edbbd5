package dev.relaylink.aws.testing;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.port.GatewayProbe;
import dev.relaylink.tls.MutualTls;
import dev.relaylink.testing.RelayGateway;
import dev.relaylink.tls.TlsGatewayProbe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The EKS gateway as relay-link sees it: a TLS server on 127.0.0.1 that serves whatever the
 * cluster's TLS secret holds, reloaded when the secret changes (as Envoy Gateway does), probed with
 * the real {@link TlsGatewayProbe}. {@link #stopReloading()} makes it keep its old certificate, the
 * failure testSecret exists to catch.
 */
public final class ClusterGateway implements GatewayProbe, AutoCloseable {
    private final KubernetesClient cluster;
    private final String namespace;
    private final String secretName;
    private final TrustBundle clientCas;
    private final Set<dev.relaylink.pki.SpiffeId> allowed;
    private RelayGateway gateway;
    private String servedVersion;
    private volatile boolean reloading = true;

    public ClusterGateway(KubernetesClient cluster, String namespace, String secretName, TrustBundle clientCas,
                          Set<dev.relaylink.pki.SpiffeId> allowed) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.secretName = secretName;
        this.clientCas = clientCas;
        this.allowed = allowed;
    }

    public void stopReloading() {
        reloading = false;
    }

    public void resumeReloading() {
        reloading = true;
    }

    @Override
    public synchronized List<X509Certificate> servedChain(String hostName) throws IOException {
        reload();
        if (gateway == null) {
            throw new IOException("connection refused: the gateway has no certificate to serve yet");
        }
        return new TlsGatewayProbe(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port())).servedChain(hostName);
    }

    private void reload() throws IOException {
        if (!reloading && gateway != null) {
            return;
        }
        Secret secret = cluster.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("tls.crt")) {
            return;
        }
        String version = secret.getData().get("tls.crt");
        if (version.equals(servedVersion)) {
            return;
        }
        Credential credential = Credential.fromPem(decode(secret.getData().get("tls.crt")), decode(secret.getData().get("tls.key")));
        var context = MutualTls.serverContext(credential, clientCas, allowed);
        if (gateway == null) {
            gateway = RelayGateway.start(context);
        } else {
            gateway.reload(context);
        }
        servedVersion = version;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (gateway != null) {
            try {
                gateway.close();
            } catch (IOException e) {
                // the test is over; a listener that will not close cleanly changes no result
            }
        }
    }
}
