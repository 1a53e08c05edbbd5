package dev.relaylink.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Which client certificates the revocation list must name: those replaced before their time (a
 * workload's key was suspected, or its certificate was reissued for any reason before it was due)
 * and not yet expired. A certificate replaced when due by the renewal policy is not listed: the
 * workload may keep using it until its Secret refresh reaches the pod, and it expires soon anyway.
 */
public final class Revocations {
    private Revocations() {
    }

    /**
     * @param versions each workload's certificate versions in the order they were made current, oldest first
     * @return the certificates to list, ordered by serial so equal inputs give equal lists
     */
    public static List<X509Certificate> replacedEarly(Collection<List<X509Certificate>> versions, RenewalPolicy policy, Instant now) {
        List<X509Certificate> revoked = new ArrayList<>();
        for (List<X509Certificate> workload : versions) {
            for (int i = 0; i + 1 < workload.size(); i++) {
                X509Certificate replaced = workload.get(i);
                // The successor was issued CLOCK_SKEW after its notBefore.
                Instant replacedAt = workload.get(i + 1).getNotBefore().toInstant().plus(CertificateAuthority.CLOCK_SKEW);
                boolean early = replacedAt.isBefore(policy.renewAt(replaced));
                if (early && now.isBefore(replaced.getNotAfter().toInstant())) {
                    revoked.add(replaced);
                }
            }
        }
        revoked.sort(Comparator.comparing(X509Certificate::getSerialNumber));
        return revoked;
    }
}
