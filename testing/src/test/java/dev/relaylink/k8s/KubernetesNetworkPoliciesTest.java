package dev.relaylink.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaylink.state.WorkloadEgressPolicy;
import dev.relaylink.testing.MockCluster;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesNetworkPoliciesTest {
    private static final WorkloadEgressPolicy POLICY = new WorkloadEgressPolicy("payments", "relay-link-egress-checkout",
            Map.of("app", "checkout"), Set.of("10.1.0.4"), 443, true, List.of());

    private final MockCluster cluster = new MockCluster();
    private final KubernetesNetworkPolicies policies = new KubernetesNetworkPolicies(cluster.client);

    @AfterEach
    void stop() {
        cluster.close();
    }

    private NetworkPolicy stored() {
        return cluster.client.network().v1().networkPolicies().inNamespace("payments").withName("relay-link-egress-checkout").get();
    }

    @Test
    void writesAnEgressOnlyPolicyToTheEndpointAndTheClusterDns() {
        assertThat(policies.apply(POLICY)).isTrue();

        NetworkPolicy written = stored();
        assertThat(TypedKinds.errors(new ObjectMapper().valueToTree(written))).isEmpty();
        assertThat(written.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app", "checkout"));
        assertThat(written.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(written.getSpec().getEgress()).hasSize(2);
        assertThat(written.getSpec().getEgress().get(0).getTo()).singleElement()
                .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("10.1.0.4/32"));
        assertThat(written.getSpec().getEgress().get(0).getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(443));
        assertThat(written.getSpec().getEgress().get(1).getTo()).singleElement().satisfies(peer -> {
            assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "kube-system");
            assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns");
        });
        assertThat(policies.observe("payments", "relay-link-egress-checkout")).contains(POLICY);

        cluster.requests();
        assertThat(policies.apply(POLICY)).isFalse();
        assertThat(cluster.requests()).allMatch(request -> request.startsWith("GET"));
    }

    @Test
    void observeAllReadsANamespacesManagedPoliciesInOneListCallAndAgreesWithObserve() {
        for (String name : List.of("relay-link-egress-checkout", "relay-link-egress-cart", "relay-link-egress-other")) {
            policies.apply(new WorkloadEgressPolicy("payments", name, Map.of("app", name), Set.of("10.1.0.4"), 443, true, List.of()));
        }
        // someone else's policy of a wanted name, without relay-link's label: not relay-link's, not seen
        cluster.client.network().v1().networkPolicies().inNamespace("payments").resource(new io.fabric8.kubernetes.api.model.networking.v1
                .NetworkPolicyBuilder().withNewMetadata().withName("relay-link-egress-hand").endMetadata().withNewSpec().endSpec().build()).create();
        cluster.requests();

        var found = policies.observeAll("payments", Set.of("relay-link-egress-checkout", "relay-link-egress-cart", "relay-link-egress-hand", "absent"));

        assertThat(cluster.requests()).singleElement().satisfies(request -> assertThat(request)
                .startsWith("GET /apis/networking.k8s.io/v1/namespaces/payments/networkpolicies?")
                .contains("labelSelector=app.kubernetes.io%2Fmanaged-by%3Drelay-link"));
        assertThat(found.keySet()).containsExactly("payments/relay-link-egress-cart", "payments/relay-link-egress-checkout");
        assertThat(found.get("payments/relay-link-egress-checkout")).isEqualTo(policies.observe("payments", "relay-link-egress-checkout").orElseThrow());
    }

    @Test
    void aHandAddedEgressRuleIsReportedAndRemoved() {
        policies.apply(POLICY);
        NetworkPolicy widened = stored();
        widened.getSpec().getEgress().add(new NetworkPolicyEgressRuleBuilder().addNewTo().withNewIpBlock().withCidr("0.0.0.0/0").endIpBlock()
                .endTo().build());
        cluster.client.network().v1().networkPolicies().inNamespace("payments").resource(widened).update();

        WorkloadEgressPolicy found = policies.observe("payments", "relay-link-egress-checkout").orElseThrow();
        assertThat(found.otherRules()).singleElement().asString().contains("0.0.0.0/0");

        assertThat(policies.apply(POLICY)).isTrue();
        assertThat(stored().getSpec().getEgress()).hasSize(2);
        assertThat(policies.observe("payments", "relay-link-egress-checkout")).contains(POLICY);
    }

    @Test
    void withoutAnApprovedEndpointOnlyDnsIsAllowed() {
        WorkloadEgressPolicy dnsOnly = new WorkloadEgressPolicy("payments", "relay-link-egress-checkout", Map.of("app", "checkout"),
                Set.of(), 0, true, List.of());
        policies.apply(dnsOnly);

        assertThat(stored().getSpec().getEgress()).hasSize(1);
        assertThat(policies.observe("payments", "relay-link-egress-checkout")).contains(dnsOnly);
    }
}
