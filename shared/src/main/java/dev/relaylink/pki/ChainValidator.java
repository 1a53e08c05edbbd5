package dev.relaylink.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** PKIX validation of a leaf (plus any intermediates) against a trust bundle, at a given time. */
public final class ChainValidator {
    private ChainValidator() {
    }

    public static void validate(List<X509Certificate> chain, TrustBundle trusted, Instant at) {
        if (chain.isEmpty()) {
            throw new PkiException("empty certificate chain");
        }
        if (trusted.certificates().isEmpty()) {
            throw new PkiException("the trust bundle is empty");
        }
        try {
            Set<TrustAnchor> anchors = trusted.certificates().stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false); // short-lived leaves are rotated, not revoked
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
        } catch (CertPathValidatorException e) {
            throw new PkiException("certificate " + chain.get(0).getSubjectX500Principal().getName()
                    + " does not validate against the trust bundle: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new PkiException("PKIX validation could not run", e);
        }
    }
}
