package dev.relaylink.state;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A workload's egress {@code NetworkPolicy} in AKS, as relay-link writes it and reads it back: it
 * selects the workload's pods by label and lets them reach only the approved private endpoint
 * ({@code relayIps}, each as a /32, on {@code relayPort}) and the cluster DNS. {@code otherRules}
 * describes anything else found (a hand-added egress rule, an ingress section, match expressions);
 * relay-link writes none, so a policy with any is rewritten, never widened. With no approved private
 * endpoint {@code relayIps} is empty and {@code relayPort} 0: DNS only.
 */
public record WorkloadEgressPolicy(String namespace, String name, Map<String, String> podSelector, Set<String> relayIps,
                                   int relayPort, boolean clusterDns, List<String> otherRules) {
    /** Where AKS runs CoreDNS, and the label its pods carry. */
    public static final String DNS_NAMESPACE = "kube-system";
    public static final String DNS_POD_LABEL = "k8s-app";
    public static final String DNS_POD_VALUE = "kube-dns";
    public static final int DNS_PORT = 53;

    public WorkloadEgressPolicy {
        podSelector = java.util.Collections.unmodifiableMap(new TreeMap<>(podSelector));
        relayIps = java.util.Collections.unmodifiableSet(new TreeSet<>(relayIps));
        otherRules = List.copyOf(otherRules);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
