package dev.relaylink.pki;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PEM list of CA certificates that one side trusts. Kept de-duplicated (by SHA-256 fingerprint)
 * and ordered (oldest first, then fingerprint) so that equal bundles have equal PEM and a rewrite
 * happens only on a real change. Which CAs a bundle holds, and when one leaves it, is the CA
 * rotation's rule ({@link CaGenerations}), not the bundle's.
 */
public final class TrustBundle {
    private static final Comparator<X509Certificate> ORDER = Comparator
            .comparing((X509Certificate c) -> c.getNotBefore().toInstant())
            .thenComparing(Certificates::fingerprint);

    private final List<X509Certificate> certificates;

    private TrustBundle(Collection<X509Certificate> certificates) {
        Map<String, X509Certificate> unique = new LinkedHashMap<>();
        for (X509Certificate certificate : certificates) {
            CertificateAuthority.requireCa(certificate);
            unique.putIfAbsent(Certificates.fingerprint(certificate), certificate);
        }
        List<X509Certificate> sorted = new ArrayList<>(unique.values());
        sorted.sort(ORDER);
        this.certificates = List.copyOf(sorted);
    }

    public static TrustBundle of(Collection<X509Certificate> cas) {
        return new TrustBundle(cas);
    }

    public static TrustBundle of(X509Certificate... cas) {
        return new TrustBundle(List.of(cas));
    }

    public static TrustBundle empty() {
        return new TrustBundle(List.of());
    }

    public static TrustBundle parse(String pem) {
        return new TrustBundle(Pem.readCertificates(pem));
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    public boolean contains(X509Certificate ca) {
        String fingerprint = Certificates.fingerprint(ca);
        return certificates.stream().anyMatch(c -> Certificates.fingerprint(c).equals(fingerprint));
    }

    public TrustBundle merge(TrustBundle other) {
        List<X509Certificate> all = new ArrayList<>(certificates);
        all.addAll(other.certificates);
        return new TrustBundle(all);
    }

    public String pem() {
        return certificates.isEmpty() ? "" : Pem.write(certificates);
    }

    public List<String> fingerprints() {
        return certificates.stream().map(Certificates::fingerprint).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustBundle other && fingerprints().equals(other.fingerprints());
    }

    @Override
    public int hashCode() {
        return fingerprints().hashCode();
    }
}
