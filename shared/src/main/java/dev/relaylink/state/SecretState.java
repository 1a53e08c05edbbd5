package dev.relaylink.state;

import java.util.Map;

/**
 * What a cluster holds in one Secret or ConfigMap that relay-link manages: the SHA-256 of each
 * data value and the fingerprint of the leaf certificate it carries (from relay-link's
 * annotation, empty for bundles), so the planner compares without ever holding key material.
 */
public record SecretState(String namespace, String name, Map<String, String> sha256ByKey, String certificateFingerprint) {
    public SecretState {
        sha256ByKey = Map.copyOf(sha256ByKey);
        certificateFingerprint = certificateFingerprint == null ? "" : certificateFingerprint;
    }

    public String key() {
        return namespace + "/" + name;
    }
}
