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

    /** The hash kept per data key: SHA-256, lower-case hex. */
    public static String sha256Hex(byte[] value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(value));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static String sha256Hex(String value) {
        return sha256Hex(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
