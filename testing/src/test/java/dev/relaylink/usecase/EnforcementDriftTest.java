package dev.relaylink.usecase;

import dev.relaylink.testing.InMemoryIdempotencyStore;
import dev.relaylink.testing.InMemoryLinkLock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.k8s.CrdSchemas;
import dev.relaylink.k8s.KubernetesGatewayPolicy;
import dev.relaylink.k8s.KubernetesNetworkPolicies;
import dev.relaylink.k8s.TypedKinds;
import dev.relaylink.pki.Pem;
import dev.relaylink.plan.Concern;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.testing.MockCluster;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The objects Envoy Gateway and the AKS network plugin enforce, kept to the spec by observe, plan
 * and execute: each drift is restored by the next reconcile, with an audit record naming what was
 * wrong. The planner and executor run on the real fabric8 adapters against mock API servers.
 */
class EnforcementDriftTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MockCluster eks = new MockCluster();
    private final MockCluster aks = new MockCluster();
    private final InMemoryClouds link = new InMemoryClouds();
    private final AuditLog.InMemory audit = new AuditLog.InMemory();
    private int events;

    EnforcementDriftTest() {
        link.gatewayPolicyPort = new KubernetesGatewayPolicy(eks.client);
        link.networkPolicyPort = new KubernetesNetworkPolicies(aks.client);
        link.privateEndpoints.put("aks-pe.conn", new PrivateEndpointConnection("aks-pe.conn", "pe-1", TestSpecs.SUBSCRIPTION, TestSpecs.VNET,
                PrivateEndpointConnection.APPROVED, "10.1.0.4"));
    }

    @AfterEach
    void stop() {
        eks.close();
        aks.close();
    }

    private Reconciler.Handled reconcile(LinkSpec spec, java.util.Set<Concern> concerns) {
        link.spec = spec;
        link.clock = clock;
        return Reconciler.of(spec, link.ports(), new InMemoryIdempotencyStore(clock, Duration.ofMinutes(5)), new InMemoryLinkLock(clock), audit, clock, 3, Duration.ofMillis(1))
                .handle("event-" + ++events, concerns);
    }

    private GenericKubernetesResource policy() {
        return eks.client.genericKubernetesResources(KubernetesGatewayPolicy.CLIENT_TRAFFIC_POLICIES).inNamespace("relay")
                .withName("relay-client-validation").get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> validation(GenericKubernetesResource policy) {
        Map<String, Object> tls = (Map<String, Object>) ((Map<String, Object>) policy.getAdditionalProperties().get("spec")).get("tls");
        return (Map<String, Object>) tls.get("clientValidation");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tls(GenericKubernetesResource policy) {
        return (Map<String, Object>) ((Map<String, Object>) policy.getAdditionalProperties().get("spec")).get("tls");
    }

    private void edit(Consumer<GenericKubernetesResource> change) {
        GenericKubernetesResource policy = policy();
        change.accept(policy);
        eks.client.genericKubernetesResources(KubernetesGatewayPolicy.CLIENT_TRAFFIC_POLICIES).inNamespace("relay").resource(policy).update();
    }

    private String lastReasonFor(String action) {
        return audit.records().stream().filter(r -> r.action().equals(action)).map(AuditRecord::reason).reduce((a, b) -> b).orElseThrow();
    }

    static Stream<Arguments> gatewayDrift() {
        return Stream.of(
                Arguments.of("policy deleted", (Consumer<EnforcementDriftTest>) t -> t.eks.client
                        .genericKubernetesResources(KubernetesGatewayPolicy.CLIENT_TRAFFIC_POLICIES).inNamespace("relay")
                        .withName("relay-client-validation").delete(), "the ClientTrafficPolicy does not exist"),
                Arguments.of("SAN matcher added by hand", (Consumer<EnforcementDriftTest>) t -> t.edit(p -> {
                    @SuppressWarnings("unchecked")
                    var sans = (Map<String, Object>) validation(p).get("subjectAltNames");
                    @SuppressWarnings("unchecked")
                    var uris = (List<Object>) sans.get("uris");
                    uris.add(Map.of("type", "Exact", "value", "spiffe://aks.example/ns/payments/sa/reporting"));
                }), "not in the spec: [Exact:spiffe://aks.example/ns/payments/sa/reporting]"),
                Arguments.of("mode weakened", (Consumer<EnforcementDriftTest>) t -> t.edit(p -> validation(p).put("mode", "VerifyIfGiven")),
                        "clientValidation.mode is VerifyIfGiven, not RequireAndVerify"),
                Arguments.of("minVersion lowered", (Consumer<EnforcementDriftTest>) t -> t.edit(p -> tls(p).put("minVersion", "1.2")),
                        "minVersion is 1.2, not 1.3"),
                Arguments.of("CA ref pointed elsewhere", (Consumer<EnforcementDriftTest>) t -> t.edit(p -> validation(p).put("caCertificateRefs",
                        List.of(Map.of("group", "", "kind", "Secret", "name", "someone-elses-ca")))),
                        "caCertificateRefs point at [Secret/relay/someone-elses-ca], not [Secret/relay/relay-client-ca]"),
                Arguments.of("DNS SAN matcher added", (Consumer<EnforcementDriftTest>) t -> t.edit(p -> {
                    @SuppressWarnings("unchecked")
                    var sans = (Map<String, Object>) validation(p).get("subjectAltNames");
                    sans.put("dnsNames", List.of(Map.of("type", "Suffix", "value", ".example")));
                }), "settings relay-link does not write were added: [spec.tls.clientValidation.subjectAltNames.dnsNames]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gatewayDrift")
    void gatewayPolicyDriftIsRestoredByTheNextReconcileWithAnAuditRecord(String name, Consumer<EnforcementDriftTest> drift, String reason) {
        LinkSpec spec = TestSpecs.example();
        assertThat(reconcile(spec, Concern.ALL)).isEqualTo(Reconciler.Handled.APPLIED);
        Map<String, Object> written = Map.copyOf(policy().getAdditionalProperties());
        CrdSchemas.assertValid(policy());

        drift.accept(this);
        assertThat(reconcile(spec, Concern.AWS)).isEqualTo(Reconciler.Handled.APPLIED);

        assertThat(lastReasonFor("WriteGatewayClientPolicy")).contains(reason);
        assertThat(policy().getAdditionalProperties()).isEqualTo(written);
        CrdSchemas.assertValid(policy());
        assertThat(reconcile(spec, Concern.AWS)).isEqualTo(Reconciler.Handled.NO_CHANGE);
    }

    @Test
    void aWorkloadRemovedFromTheSpecLosesItsMatcherInOneReconcile() {
        LinkSpec spec = TestSpecs.example();
        reconcile(spec, Concern.ALL);
        LinkSpec without = new LinkSpec(spec.name(), spec.relay(), spec.aws(), spec.azure(), spec.workloads().subList(0, 1),
                spec.certificates(), spec.trustDomain());

        assertThat(reconcile(without, Concern.AWS)).isEqualTo(Reconciler.Handled.APPLIED);

        var found = link.gatewayPolicyPort.observe("relay", "relay-client-validation").orElseThrow();
        assertThat(found.subjectAltNameUris()).containsExactly("Exact:" + spec.workloads().get(0).spiffeId(spec.trustDomain()));
        assertThat(lastReasonFor("WriteGatewayClientPolicy")).contains("not in the spec: [Exact:spiffe://aks.example/ns/shipping/sa/tracker]");
    }

    @Test
    void aCertificateReplacedBeforeItsTimeIsListedInTheRevocationListTheGatewayPolicyReferences() throws Exception {
        LinkSpec spec = TestSpecs.example();
        reconcile(spec, Concern.ALL);
        reconcile(spec, Concern.ALL); // the AWS side copies the list published by the first run
        assertThat(link.gatewayPolicyPort.observe("relay", "relay-client-validation").orElseThrow().crlRefs())
                .containsExactly("Secret/relay/relay-client-crl");
        var checkout = spec.workloads().get(0).spiffeId(spec.trustDomain());
        var old = link.clientCertificates.current(checkout).orElseThrow().leaf();
        assertThat(Pem.readRevocationList(link.eks.data.get("relay/relay-client-crl").get("ca.crl")).isRevoked(old)).isFalse();

        // The workload's key is suspected: a new certificate replaces the old one long before it is due.
        link.clientCertificates.importVersion(checkout, TestPki.issueClient(link.clientCa.current().orElseThrow(), checkout, NOW,
                spec.certificates().client().lifetime()));
        assertThat(reconcile(spec, Concern.AZURE)).isEqualTo(Reconciler.Handled.APPLIED);
        assertThat(lastReasonFor("PublishRevocationList")).contains("replaced before their time changed").contains(old.getSerialNumber().toString(16));
        assertThat(reconcile(spec, Concern.AWS)).isEqualTo(Reconciler.Handled.APPLIED);

        X509CRL crl = Pem.readRevocationList(link.eks.data.get("relay/relay-client-crl").get("ca.crl"));
        crl.verify(link.clientCa.current().orElseThrow().certificate().getPublicKey());
        assertThat(crl.isRevoked(old)).isTrue();
        assertThat(crl.isRevoked(link.clientCertificates.current(checkout).orElseThrow().leaf())).isFalse();
        assertThat(reconcile(spec, Concern.ALL)).isEqualTo(Reconciler.Handled.NO_CHANGE);
    }

    private NetworkPolicy egress(String namespace, String name) {
        return aks.client.network().v1().networkPolicies().inNamespace(namespace).withName(name).get();
    }

    @Test
    void eachWorkloadGetsAnEgressPolicyToTheApprovedEndpointThatFollowsItWhenItMoves() {
        LinkSpec spec = TestSpecs.example();
        reconcile(spec, Concern.ALL);
        NetworkPolicy checkout = egress("payments", "relay-link-egress-checkout");
        assertThat(TypedKinds.errors(JSON.valueToTree(checkout))).isEmpty();
        assertThat(checkout.getSpec().getEgress().get(0).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.1.0.4/32");
        assertThat(egress("shipping", "relay-link-egress-tracker").getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of("app", "tracker"));

        // A new private endpoint replaces the old one: the DNS record and the policies move with it in one reconcile.
        link.privateEndpoints.remove("aks-pe.conn");
        link.privateEndpoints.put("aks-pe-2.conn", new PrivateEndpointConnection("aks-pe-2.conn", "pe-2", TestSpecs.SUBSCRIPTION, TestSpecs.VNET,
                PrivateEndpointConnection.PENDING, "10.1.0.9"));
        assertThat(reconcile(spec, Concern.AZURE)).isEqualTo(Reconciler.Handled.APPLIED);

        assertThat(link.dnsRecord).containsExactly("10.1.0.9");
        for (String[] policy : List.of(new String[] {"payments", "relay-link-egress-checkout"}, new String[] {"shipping", "relay-link-egress-tracker"})) {
            var rules = egress(policy[0], policy[1]).getSpec().getEgress();
            assertThat(rules.get(0).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.1.0.9/32");
            assertThat(rules).hasSize(2);
        }
        assertThat(lastReasonFor("WriteWorkloadEgressPolicy")).contains("allows [10.1.0.4] port 443, the approved private endpoint is [10.1.0.9] port 443");
    }

    @Test
    void aHandAddedEgressRuleIsRemovedAndADeletedPolicyRestored() {
        LinkSpec spec = TestSpecs.example();
        reconcile(spec, Concern.ALL);
        NetworkPolicy written = egress("payments", "relay-link-egress-checkout");

        NetworkPolicy widened = egress("payments", "relay-link-egress-checkout");
        widened.getSpec().getEgress().add(new NetworkPolicyEgressRuleBuilder().addNewTo().withNewIpBlock().withCidr("0.0.0.0/0").endIpBlock()
                .endTo().build());
        aks.client.network().v1().networkPolicies().inNamespace("payments").resource(widened).update();
        assertThat(reconcile(spec, Concern.AZURE)).isEqualTo(Reconciler.Handled.APPLIED);
        assertThat(egress("payments", "relay-link-egress-checkout").getSpec()).isEqualTo(written.getSpec());
        assertThat(lastReasonFor("WriteWorkloadEgressPolicy")).contains("rules relay-link does not write were added").contains("0.0.0.0/0");

        aks.client.network().v1().networkPolicies().inNamespace("payments").withName("relay-link-egress-checkout").delete();
        assertThat(reconcile(spec, Concern.AZURE)).isEqualTo(Reconciler.Handled.APPLIED);
        assertThat(egress("payments", "relay-link-egress-checkout").getSpec()).isEqualTo(written.getSpec());
        assertThat(lastReasonFor("WriteWorkloadEgressPolicy")).isEqualTo("the workload's egress NetworkPolicy does not exist");
        assertThat(reconcile(spec, Concern.AZURE)).isEqualTo(Reconciler.Handled.NO_CHANGE);
    }

    @Test
    void withNoApprovedEndpointThePolicyAllowsDnsOnlyNeverMore() {
        link.privateEndpoints.clear();
        LinkSpec spec = TestSpecs.example();
        reconcile(spec, Concern.ALL);

        var rules = egress("payments", "relay-link-egress-checkout").getSpec().getEgress();
        assertThat(rules).singleElement().satisfies(rule -> assertThat(rule.getTo().get(0).getIpBlock()).isNull());
    }
}
