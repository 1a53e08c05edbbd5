package dev.relaylink.port;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.state.SecretState;
import java.util.List;
import java.util.Optional;

/**
 * The Secrets and ConfigMaps relay-link keeps in one cluster (EKS or AKS). Every write is
 * idempotent: it returns false and writes nothing when the content is already there.
 */
public interface ClusterSecrets {

    Optional<SecretState> observe(String namespace, String name);

    /** A {@code kubernetes.io/tls} Secret: tls.crt (chain), tls.key, and ca.crt when {@code trusted} is given. */
    boolean applyTls(String namespace, String name, Credential credential, Optional<TrustBundle> trusted);

    /** A Secret holding only {@code ca.crt}: the CA bundle a gateway validates clients with. */
    boolean applyCaBundle(String namespace, String name, TrustBundle bundle);

    /** A ConfigMap listing the SPIFFE IDs the gateway admits, one per line, sorted. */
    boolean applyAllowList(String namespace, String name, List<String> spiffeIds);
}
