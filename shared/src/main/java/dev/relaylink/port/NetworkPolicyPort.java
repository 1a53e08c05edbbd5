package dev.relaylink.port;

import dev.relaylink.state.WorkloadEgressPolicy;
import java.util.Optional;

/** The workloads' egress NetworkPolicies in AKS, which the cluster's network plugin enforces. */
public interface NetworkPolicyPort {

    /** The policy {@code namespace/name}; empty when it does not exist. */
    Optional<WorkloadEgressPolicy> observe(String namespace, String name);

    /**
     * The policies among {@code names} in {@code namespace}, keyed by {@link WorkloadEgressPolicy#key()}; those that
     * do not exist are left out. An adapter answers with one list call where its API has one, not a read per name.
     */
    default java.util.Map<String, WorkloadEgressPolicy> observeAll(String namespace, java.util.Set<String> names) {
        java.util.Map<String, WorkloadEgressPolicy> found = new java.util.TreeMap<>();
        for (String name : names) {
            observe(namespace, name).ifPresent(policy -> found.put(policy.key(), policy));
        }
        return found;
    }

    /**
     * Makes the policy's spec exactly {@code policy} (any other rule is removed; other owners'
     * labels and annotations are kept). Returns false and writes nothing when it is already so.
     */
    boolean apply(WorkloadEgressPolicy policy);
}
