package dev.relaylink.port;

import java.math.BigInteger;
import java.time.Instant;

/**
 * The certificate revocation list the EKS gateway checks for client certificates. A revoked
 * workload certificate is replaced at once; listing its serial here is what stops the old one
 * from working before it expires.
 */
public interface RevocationList {

    /** Lists {@code serial} (issued by the client CA {@code issuer}) as revoked from {@code at}, for {@code reason}. */
    void revoke(String issuer, BigInteger serial, Instant at, String reason);
}
