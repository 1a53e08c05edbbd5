package dev.relaylink.local;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.tls.MutualTls;
import io.fabric8.kubernetes.api.model.Secret;
import javax.net.ssl.SSLContext;

/** An AKS pod's TLS client, configured only from its relay-link secret (client cert, key, server CA bundle). */
final class WorkloadFromSecret {
    private WorkloadFromSecret() {
    }

    /** Certificates are checked at the time of {@code clock} (the link's clock, which the CA rotation step moves forward). */
    static SSLContext context(ClusterReader aks, String namespace, String secretName, java.time.Clock clock) {
        Secret secret = aks.secret(namespace, secretName).orElseThrow(() -> new IllegalStateException("no secret " + namespace + "/" + secretName));
        Credential credential = Credential.fromPem(ClusterReader.value(secret, "tls.crt"), ClusterReader.value(secret, "tls.key"));
        return MutualTls.clientContext(credential, TrustBundle.parse(ClusterReader.value(secret, "ca.crt")), clock);
    }
}
