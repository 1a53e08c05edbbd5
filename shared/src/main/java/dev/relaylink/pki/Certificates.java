package dev.relaylink.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Read-only facts about a certificate that the planner and the adapters need. */
public final class Certificates {
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private Certificates() {
    }

    /** SHA-256 over the DER encoding, lower-case hex: the identity of a certificate in bundles and labels. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new PkiException("cannot fingerprint certificate", e);
        }
    }

    public static String serialHex(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    public static List<String> dnsNames(X509Certificate certificate) {
        return subjectAltNames(certificate, SAN_DNS);
    }

    /** The SPIFFE ID in the certificate's URI SAN, if it has exactly one well-formed one. */
    public static Optional<SpiffeId> spiffeId(X509Certificate certificate) {
        List<String> uris = subjectAltNames(certificate, SAN_URI);
        if (uris.size() != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(SpiffeId.parse(uris.get(0)));
        } catch (PkiException e) {
            return Optional.empty();
        }
    }

    public static boolean isValidAt(X509Certificate certificate, Instant now) {
        return !now.isBefore(certificate.getNotBefore().toInstant()) && !now.isAfter(certificate.getNotAfter().toInstant());
    }

    /** True when {@code issuer} signed {@code certificate} (checked cryptographically, not by name alone). */
    public static boolean issuedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public static Optional<X509Certificate> issuerIn(X509Certificate certificate, Collection<X509Certificate> cas) {
        return cas.stream().filter(ca -> issuedBy(certificate, ca)).findFirst();
    }

    private static List<String> subjectAltNames(X509Certificate certificate, int type) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().filter(n -> ((Integer) n.get(0)) == type).map(n -> (String) n.get(1)).toList();
        } catch (CertificateParsingException e) {
            throw new PkiException("certificate has an unreadable subjectAltName", e);
        }
    }
}
