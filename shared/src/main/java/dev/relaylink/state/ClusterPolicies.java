package dev.relaylink.state;

import java.util.Map;
import java.util.Optional;

/**
 * The enforcement objects relay-link owns in the clusters, as observed: the EKS gateway's
 * ClientTrafficPolicy and each workload's egress NetworkPolicy in AKS (keyed {@code namespace/name}).
 */
public record ClusterPolicies(Optional<GatewayClientPolicy> gatewayClientPolicy, Map<String, WorkloadEgressPolicy> workloadEgress) {
    public ClusterPolicies {
        workloadEgress = Map.copyOf(workloadEgress);
    }

    public static ClusterPolicies none() {
        return new ClusterPolicies(Optional.empty(), Map.of());
    }
}
