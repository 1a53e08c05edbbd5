package dev.relaylink.port;

import dev.relaylink.pki.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The CA this side owns (the other side only reads its {@link PublishedCas}), with all its
 * generations: their certificates (public; the issuing one first, then every other generation still
 * trusted, as {@link dev.relaylink.pki.CaGenerations} orders them) and the keys in KMS or Key Vault,
 * one key per generation, which sign there and never leave it. The store keeps the list the core
 * computes; it decides nothing itself.
 */
public interface OwnedCa extends PublishedCas {

    /** The CA that issues now; empty before the link's first bootstrap. */
    Optional<CertificateAuthority> current();

    /**
     * Creates a generation on a new key with a self-signed certificate and publishes it: as the
     * issuing CA when the side has none, otherwise as the next generation (trusted, not issuing).
     */
    CertificateAuthority create(String commonName, Instant now, Duration lifetime);

    /** Makes the published generation {@code ca} the issuing one; a no-op when it issues already. */
    void startIssuing(X509Certificate ca);

    /**
     * Retires the generation {@code ca}: its key is put out of use (KMS: scheduled for deletion;
     * Key Vault: disabled), then its certificate leaves the published list. Safe to repeat.
     */
    void retire(X509Certificate ca);
}
