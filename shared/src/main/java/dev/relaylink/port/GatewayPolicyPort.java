package dev.relaylink.port;

import dev.relaylink.state.GatewayClientPolicy;
import java.util.Optional;

/**
 * The EKS gateway's client policy: an Envoy Gateway {@code ClientTrafficPolicy} that relay-link
 * owns. Envoy Gateway enforces it; relay-link only writes it and reads it back.
 */
public interface GatewayPolicyPort {

    /** The policy {@code namespace/name} as the cluster holds it; empty when it does not exist. */
    Optional<GatewayClientPolicy> observe(String namespace, String name);

    /**
     * Makes the policy's spec exactly {@code policy} (fields relay-link does not set are removed;
     * other owners' labels and annotations are kept). Returns false and writes nothing when it is
     * already so.
     */
    boolean apply(GatewayClientPolicy policy);
}
