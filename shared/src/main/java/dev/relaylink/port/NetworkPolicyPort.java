package dev.relaylink.port;

import dev.relaylink.state.WorkloadEgressPolicy;
import java.util.Optional;

/** The workloads' egress NetworkPolicies in AKS, which the cluster's network plugin enforces. */
public interface NetworkPolicyPort {

    /** The policy {@code namespace/name}; empty when it does not exist. */
    Optional<WorkloadEgressPolicy> observe(String namespace, String name);

    /**
     * Makes the policy's spec exactly {@code policy} (any other rule is removed; other owners'
     * labels and annotations are kept). Returns false and writes nothing when it is already so.
     */
    boolean apply(WorkloadEgressPolicy policy);
}
