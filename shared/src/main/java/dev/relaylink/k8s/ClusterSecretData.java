package dev.relaylink.k8s;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.state.SecretState;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The exact bytes relay-link writes into cluster Secrets and ConfigMaps. Pure, so the planner can
 * compute the SHA-256 it expects in a {@link dev.relaylink.state.SecretState} for public data
 * (ca.crt, the allow-list) and the adapter writes the very same bytes.
 */
public final class ClusterSecretData {
    public static final String TLS_CERT = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    public static final String CA_CERT = "ca.crt";
    public static final String ALLOWED_SPIFFE_IDS = dev.relaylink.port.ClusterSecrets.ALLOW_LIST_KEY;

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

    public static Map<String, byte[]> caBundle(TrustBundle bundle) {
        return new TreeMap<>(Map.of(CA_CERT, caPem(bundle)));
    }

    /**
     * The gateway's allow-list: each SPIFFE ID once, sorted, one per line (each line ends in a
     * newline, so an empty list is the empty string).
     */
    public static String allowList(Collection<String> spiffeIds) {
        TreeSet<String> sorted = new TreeSet<>();
        int index = 0;
        for (String id : spiffeIds) {
            try {
                sorted.add(SpiffeId.parse(id).toString());
            } catch (PkiException e) {
                throw new IllegalArgumentException("allow-list entry " + index + ": " + e.getMessage(), e);
            }
            index++;
        }
        return dev.relaylink.port.ClusterSecrets.allowListText(sorted);
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
