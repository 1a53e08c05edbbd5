package dev.relaylink.port;

import dev.relaylink.pki.CertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One side's CA: its certificates (public, current first, older ones kept while their leaves live)
 * and the current CA whose key signs in KMS or Key Vault and never leaves it.
 */
public interface CaStore extends CaCertificates {

    /** The CA that issues now; empty before the link's first bootstrap. */
    Optional<CertificateAuthority> current();

    /** Creates a self-signed CA on the side's key and publishes its certificate as current. */
    CertificateAuthority create(String commonName, Instant now, Duration lifetime);
}
