package dev.relaylink.aws.adapter;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.port.CaStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server CA: its key in KMS ({@link KmsSigner}), its certificates (public; current first, older
 * ones kept until they expire) as a PEM list in a Secrets Manager secret, by default
 * {@code <serverCertSecretId>-ca}.
 */
public final class KmsCaStore implements CaStore {
    private final SecretsManagerCaCertificates published;
    private final KmsSigner signer;

    public KmsCaStore(SecretsManagerCaCertificates published, KmsSigner signer) {
        this.published = published;
        this.signer = signer;
    }

    public static String caSecretIdFor(String serverCertSecretId) {
        return serverCertSecretId + "-ca";
    }

    @Override
    public List<X509Certificate> certificates() {
        return published.certificates();
    }

    /** The current CA, checked against the KMS key: a certificate for another key is an error, not a CA. */
    @Override
    public Optional<CertificateAuthority> current() {
        List<X509Certificate> certificates = certificates();
        return certificates.isEmpty() ? Optional.empty() : Optional.of(new CertificateAuthority(signer, certificates.get(0)));
    }

    @Override
    public CertificateAuthority create(String commonName, Instant now, Duration lifetime) {
        CertificateAuthority ca = CertificateAuthority.selfSigned(signer, commonName, now, lifetime);
        List<X509Certificate> all = new ArrayList<>();
        all.add(ca.certificate());
        // Older CAs stay published while they are valid: leaves they signed may still be served.
        certificates().stream().filter(c -> !now.isAfter(c.getNotAfter().toInstant())).forEach(all::add);
        published.publish(all, "relay-link server CA certificates (public; the key stays in KMS " + signer.keyId() + ")");
        return ca;
    }
}
