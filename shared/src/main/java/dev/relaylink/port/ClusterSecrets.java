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

    /**
     * The managed Secrets among {@code names} in {@code namespace}, keyed by {@link SecretState#key()}; those that do
     * not exist are left out. An adapter answers with one list call where its API has one, not a read per name: a
     * reconcile of a thousand workloads then costs a call per namespace.
     */
    default java.util.Map<String, SecretState> observeAll(String namespace, java.util.Set<String> names) {
        java.util.Map<String, SecretState> found = new java.util.TreeMap<>();
        for (String name : names) {
            observe(namespace, name).ifPresent(state -> found.put(state.key(), state));
        }
        return found;
    }

    /** A {@code kubernetes.io/tls} Secret: tls.crt (chain), tls.key, and ca.crt when {@code trusted} is given. */
    boolean applyTls(String namespace, String name, Credential credential, Optional<TrustBundle> trusted);

    /** A Secret holding only {@code ca.crt}: the CA bundle a gateway validates clients with. */
    boolean applyCaBundle(String namespace, String name, TrustBundle bundle);

    /** A Secret holding only {@code ca.crl}: the revocation list (PEM) a gateway refuses listed certificates with. */
    boolean applyRevocationList(String namespace, String name, String crlPem);
}
