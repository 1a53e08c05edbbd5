package dev.relaylink.local;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.tls.MutualTls;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * The EKS gateway's configuration, taken only from what relay-link wrote into EKS: the TLS secret
 * it serves, the client CA bundle it trusts and the SPIFFE allow-list. Rebuilt when any of the three
 * changes (by resourceVersion), the way Envoy Gateway reloads a referenced secret.
 */
final class GatewayFromSecrets implements Supplier<SSLContext> {
    private final ClusterReader eks;
    private final LinkSpec.Relay relay;
    private String version = "";
    private SSLContext context;
    private final java.time.Clock clock;

    /** Client certificates are checked at the time of {@code clock}, the link's. */
    GatewayFromSecrets(ClusterReader eks, LinkSpec.Relay relay, java.time.Clock clock) {
        this.eks = eks;
        this.relay = relay;
        this.clock = clock;
    }

    @Override
    public synchronized SSLContext get() {
        Secret tls = eks.secret(relay.namespace(), relay.tlsSecret()).orElseThrow(() -> new IllegalStateException("no gateway TLS secret"));
        Secret clientCas = eks.secret(relay.namespace(), relay.clientCaSecret()).orElseThrow(() -> new IllegalStateException("no client CA bundle"));
        ConfigMap allowList = eks.configMap(relay.namespace(), relay.allowListConfigMap()).orElseThrow(() -> new IllegalStateException("no allow-list"));
        String seen = tls.getMetadata().getResourceVersion() + "/" + clientCas.getMetadata().getResourceVersion() + "/"
                + allowList.getMetadata().getResourceVersion();
        if (!seen.equals(version)) {
            Credential served = Credential.fromPem(ClusterReader.value(tls, "tls.crt"), ClusterReader.value(tls, "tls.key"));
            Set<SpiffeId> allowed = allowList.getData().getOrDefault(ClusterSecrets.ALLOW_LIST_KEY, "").lines()
                    .filter(line -> !line.isBlank()).map(SpiffeId::parse).collect(Collectors.toSet());
            context = MutualTls.serverContext(served, TrustBundle.parse(ClusterReader.value(clientCas, "ca.crt")), allowed, clock);
            version = seen;
        }
        return context;
    }
}
