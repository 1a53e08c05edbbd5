package dev.relaylink.k8s;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.state.SecretState;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The exact bytes relay-link writes into cluster Secrets. Pure, so the planner can compute the
 * SHA-256 it expects in a {@link dev.relaylink.state.SecretState} for public data (ca.crt, ca.crl)
 * and the adapter writes the very same bytes.
 */
public final class ClusterSecretData {
    public static final String TLS_CERT = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    public static final String CA_CERT = "ca.crt";
    /** The key Envoy Gateway reads a revocation list from (PEM), in the Secret a ClientTrafficPolicy's crl.refs names. */
    public static final String CA_CRL = "ca.crl";

    private ClusterSecretData() {
    }

    /** tls.crt (the chain, leaf first), tls.key (PKCS#8) and, when given, ca.crt. */
    public static Map<String, byte[]> tls(Credential credential, Optional<TrustBundle> trusted) {
        Map<String, byte[]> data = new TreeMap<>();
        data.put(TLS_CERT, utf8(Pem.write(credential.chain())));
        data.put(TLS_KEY, utf8(Pem.write(credential.key())));
        trusted.ifPresent(bundle -> data.put(CA_CERT, caPem(bundle)));
        return data;
    }

    public static Map<String, byte[]> revocationList(String crlPem) {
        return new TreeMap<>(Map.of(CA_CRL, utf8(crlPem)));
    }

    public static Map<String, byte[]> caBundle(TrustBundle bundle) {
        return new TreeMap<>(Map.of(CA_CERT, caPem(bundle)));
    }

    /** What {@link KubernetesClusterSecrets#observe} reports for this data. */
    public static Map<String, String> sha256ByKey(Map<String, byte[]> data) {
        Map<String, String> hashes = new TreeMap<>();
        data.forEach((key, value) -> hashes.put(key, SecretState.sha256Hex(value)));
        return hashes;
    }

    private static byte[] caPem(TrustBundle bundle) {
        if (bundle.certificates().isEmpty()) {
            // An empty ca.crt makes the gateway (or a workload) trust nobody: never a valid target state.
            throw new IllegalArgumentException("refusing to write an empty CA bundle");
        }
        return utf8(bundle.pem());
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
