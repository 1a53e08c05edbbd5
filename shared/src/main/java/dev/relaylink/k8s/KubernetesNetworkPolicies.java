package dev.relaylink.k8s;

import dev.relaylink.state.WorkloadEgressPolicy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link dev.relaylink.port.NetworkPolicyPort} on fabric8's typed NetworkPolicy
 * (networking.k8s.io/v1). The policy is Egress-only: the pods it selects may open connections to
 * each approved private endpoint IP as a /32 on the relay port, and to the cluster DNS (CoreDNS in
 * kube-system) on port 53, UDP and TCP. Anything else in an existing policy is reported and removed.
 */
public final class KubernetesNetworkPolicies implements dev.relaylink.port.NetworkPolicyPort {
    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private final KubernetesClient client;

    public KubernetesNetworkPolicies(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public Optional<WorkloadEgressPolicy> observe(String namespace, String name) {
        KubernetesClusterSecrets.requireNames(namespace, name);
        NetworkPolicy found = KubernetesClusterSecrets.read(client.network().v1().networkPolicies(), "NetworkPolicy", namespace, name);
        return Optional.ofNullable(found).map(policy -> parse(namespace, name, policy.getSpec()));
    }

    /**
     * One list of the namespace's NetworkPolicies that carry relay-link's managed-by label (paged), instead of a read
     * per name. A policy of one of these names without the label is not seen, so the next apply rewrites and labels it.
     */
    @Override
    public Map<String, WorkloadEgressPolicy> observeAll(String namespace, Set<String> names) {
        names.forEach(name -> KubernetesClusterSecrets.requireNames(namespace, name));
        Map<String, WorkloadEgressPolicy> found = new java.util.TreeMap<>();
        String next = null;
        do {
            var page = client.network().v1().networkPolicies().inNamespace(namespace)
                    .withLabel(KubernetesClusterSecrets.MANAGED_BY_LABEL, KubernetesClusterSecrets.MANAGED_BY)
                    .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(KubernetesClusterSecrets.LIST_PAGE).withContinue(next).build());
            for (NetworkPolicy policy : page.getItems()) {
                String name = policy.getMetadata().getName();
                if (names.contains(name)) {
                    WorkloadEgressPolicy parsed = parse(namespace, name, policy.getSpec());
                    found.put(parsed.key(), parsed);
                }
            }
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return found;
    }

    @Override
    public boolean apply(WorkloadEgressPolicy policy) {
        KubernetesClusterSecrets.requireNames(policy.namespace(), policy.name());
        if (!policy.otherRules().isEmpty()) {
            throw new IllegalArgumentException("relay-link writes no other rules, got " + policy.otherRules());
        }
        NetworkPolicySpec wanted = render(policy);
        return KubernetesClusterSecrets.apply(KubernetesClusterSecrets.DEFAULT_ATTEMPTS, client.network().v1().networkPolicies(), "NetworkPolicy",
                policy.namespace(), policy.name(), Map.of(), current -> wanted.equals(current.getSpec()),
                (current, metadata) -> new NetworkPolicyBuilder().withMetadata(metadata).withSpec(wanted).build(),
                "egress to " + policy.relayIps() + " port " + policy.relayPort() + " and the cluster DNS");
    }

    /** The spec relay-link writes for {@code policy}. */
    public static NetworkPolicySpec render(WorkloadEgressPolicy policy) {
        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        for (String ip : policy.relayIps()) {
            egress.add(new NetworkPolicyEgressRuleBuilder().addNewTo().withNewIpBlock().withCidr(ip + "/32").endIpBlock().endTo()
                    .addToPorts(port("TCP", policy.relayPort())).build());
        }
        if (policy.clusterDns()) {
            egress.add(new NetworkPolicyEgressRuleBuilder().addNewTo()
                    .withNamespaceSelector(labels(Map.of(NAMESPACE_NAME_LABEL, WorkloadEgressPolicy.DNS_NAMESPACE)))
                    .withPodSelector(labels(Map.of(WorkloadEgressPolicy.DNS_POD_LABEL, WorkloadEgressPolicy.DNS_POD_VALUE))).endTo()
                    .addToPorts(port("UDP", WorkloadEgressPolicy.DNS_PORT), port("TCP", WorkloadEgressPolicy.DNS_PORT)).build());
        }
        return new NetworkPolicySpecBuilder().withPodSelector(labels(policy.podSelector())).withPolicyTypes("Egress")
                .withEgress(egress).build();
    }

    /** Reads a policy's spec into what relay-link checks, describing every rule it would not write. */
    public static WorkloadEgressPolicy parse(String namespace, String name, NetworkPolicySpec spec) {
        List<String> other = new ArrayList<>();
        LabelSelector selector = spec == null ? null : spec.getPodSelector();
        Map<String, String> podSelector = selector == null || selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        if (selector != null && selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            other.add("podSelector.matchExpressions");
        }
        List<String> types = spec == null || spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
        if (!types.equals(List.of("Egress"))) {
            other.add("policyTypes " + types);
        }
        if (spec != null && spec.getIngress() != null && !spec.getIngress().isEmpty()) {
            other.add("ingress rules");
        }
        Set<String> ips = new TreeSet<>();
        Set<Integer> relayPorts = new TreeSet<>();
        boolean dns = false;
        List<NetworkPolicyEgressRule> egress = spec == null || spec.getEgress() == null ? List.of() : spec.getEgress();
        for (NetworkPolicyEgressRule rule : egress) {
            String ip = relayIp(rule);
            if (ip != null) {
                ips.add(ip);
                relayPorts.add(rule.getPorts().get(0).getPort().getIntVal());
            } else if (isClusterDns(rule)) {
                dns = true;
            } else {
                other.add("egress " + describe(rule));
            }
        }
        if (relayPorts.size() > 1) {
            other.add("relay rules on several ports " + relayPorts);
        }
        return new WorkloadEgressPolicy(namespace, name, podSelector, ips, relayPorts.isEmpty() ? 0 : relayPorts.iterator().next(), dns, other);
    }

    /** The IP of a rule to exactly one /32 on exactly one TCP port, as relay-link writes it; null for any other rule. */
    private static String relayIp(NetworkPolicyEgressRule rule) {
        if (rule.getTo() == null || rule.getTo().size() != 1 || rule.getPorts() == null || rule.getPorts().size() != 1) {
            return null;
        }
        NetworkPolicyPeer peer = rule.getTo().get(0);
        NetworkPolicyPort port = rule.getPorts().get(0);
        boolean onlyIpBlock = peer.getIpBlock() != null && peer.getPodSelector() == null && peer.getNamespaceSelector() == null
                && (peer.getIpBlock().getExcept() == null || peer.getIpBlock().getExcept().isEmpty());
        boolean oneTcpPort = "TCP".equals(Objects.requireNonNullElse(port.getProtocol(), "TCP")) && port.getEndPort() == null
                && port.getPort() != null && port.getPort().getIntVal() != null;
        String cidr = onlyIpBlock ? peer.getIpBlock().getCidr() : null;
        return cidr != null && oneTcpPort && cidr.endsWith("/32") ? cidr.substring(0, cidr.length() - 3) : null;
    }

    private static boolean isClusterDns(NetworkPolicyEgressRule rule) {
        return rule.equals(render(new WorkloadEgressPolicy("", "", Map.of(), Set.of(), 0, true, List.of())).getEgress().get(0));
    }

    private static String describe(NetworkPolicyEgressRule rule) {
        List<String> to = rule.getTo() == null || rule.getTo().isEmpty() ? List.of("anywhere") : rule.getTo().stream().map(peer ->
                peer.getIpBlock() != null ? peer.getIpBlock().getCidr() : "pods " + peer.getPodSelector() + " in " + peer.getNamespaceSelector()).toList();
        List<String> ports = rule.getPorts() == null || rule.getPorts().isEmpty() ? List.of("any port") : rule.getPorts().stream()
                .map(p -> Objects.requireNonNullElse(p.getProtocol(), "TCP") + " " + (p.getPort() == null ? "any" : p.getPort().toString())).toList();
        return "to " + to + " on " + ports;
    }

    private static LabelSelector labels(Map<String, String> labels) {
        return new LabelSelectorBuilder().withMatchLabels(new java.util.TreeMap<>(labels)).build();
    }

    private static NetworkPolicyPort port(String protocol, int port) {
        return new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(port)).build();
    }
}
