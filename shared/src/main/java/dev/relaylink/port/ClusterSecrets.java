package dev.relaylink.port;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.state.SecretState;
import java.util.Optional;

/**
 * The Secrets relay-link keeps in one cluster (EKS or AKS). Every write is
 * idempotent: it returns false and writes nothing when the content is already there.
 */
public interface ClusterSecrets {
    /** The managed Secret {@code namespace/name}, hashed; empty when it does not exist. */
    Optional<SecretState> observe(String namespace, String name);

    /** A {@code kubernetes.io/tls} Secret: tls.crt (chain), tls.key, and ca.crt when {@code trusted} is given. */
    boolean applyTls(String namespace, String name, Credential credential, Optional<TrustBundle> trusted);

    /** A Secret holding only {@code ca.crt}: the CA bundle a gateway validates clients with. */
    boolean applyCaBundle(String namespace, String name, TrustBundle bundle);

    /** A Secret holding only {@code ca.crl}: the revocation list (PEM) a gateway refuses listed certificates with. */
    boolean applyRevocationList(String namespace, String name, String crlPem);
}
