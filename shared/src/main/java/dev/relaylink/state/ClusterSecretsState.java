package dev.relaylink.state;

import java.util.Map;

/**
 * The Secrets relay-link manages in the clusters, as observed, each keyed by {@link SecretState#key()}.
 *
 * @param eks the EKS gateway's TLS secret, client CA bundle and revocation list
 * @param aks each workload's secret in AKS
 */
public record ClusterSecretsState(Map<String, SecretState> eks, Map<String, SecretState> aks) {

    public static ClusterSecretsState none() {
        return new ClusterSecretsState(Map.of(), Map.of());
    }

    /** Keyed by {@link SecretState#key()}. */
    public static Map<String, SecretState> byKey(SecretState... secrets) {
        Map<String, SecretState> byKey = new java.util.HashMap<>();
        for (SecretState secret : secrets) {
            byKey.put(secret.key(), secret);
        }
        return byKey;
    }
}
