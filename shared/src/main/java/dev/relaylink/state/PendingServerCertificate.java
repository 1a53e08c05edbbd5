package dev.relaylink.state;

import java.time.Instant;

/**
 * A server certificate version a rotation made but has not made current yet (Secrets Manager's
 * AWSPENDING on a version other than AWSCURRENT).
 *
 * @param fingerprint the SHA-256 fingerprint of its leaf, to tell whether the gateway serves it
 * @param created when the rotation's createSecret stored it
 */
public record PendingServerCertificate(String fingerprint, Instant created) {
}
