package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.azure.fake.ArmFake;
import dev.relaylink.testing.TestSpecs;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Approval gate B end to end: the published event in, the adapters against the ARM fake, ARM's state out. */
class PrivateEndpointApprovalFunctionTest {
    private static final String STRANGER_VNET = "/subscriptions/" + TestSpecs.STRANGER_SUBSCRIPTION
            + "/resourceGroups/intruder-rg/providers/Microsoft.Network/virtualNetworks/intruder-vnet";

    private final AzureHarness azure = new AzureHarness();
    private final ArmFake arm = azure.fake.arm();
    private final PrivateEndpointApprovalFunction function = new PrivateEndpointApprovalFunction(() -> azure.link);

    @AfterEach
    void stop() {
        azure.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {Events.PEC_WRITE_EVENT_GRID, Events.PEC_WRITE_CLOUD_EVENTS})
    void anAllowedConnectionIsApprovedAndTheRelayHostResolvesToItsEndpoint(String file) {
        String connection = requestFromAks(Events.SAMPLE_CONNECTION, "10.240.0.7");

        function.run(Events.text(file), new TestContext(PrivateEndpointApprovalFunction.NAME));

        assertThat(arm.connectionState(connection).path("status").asText()).isEqualTo("Approved");
        assertThat(arm.connectionState(connection).path("description").asText()).startsWith("approved by relay-link");
        assertThat(dnsRecord()).containsExactly("10.240.0.7");
        // Each workload's egress follows the approved endpoint in the same run.
        assertThat(outcomes()).containsExactly("ApprovePrivateEndpoint APPLIED", "SetDnsRecord APPLIED",
                "WriteWorkloadEgressPolicy APPLIED", "WriteWorkloadEgressPolicy APPLIED");
        for (var workload : TestSpecs.example().workloads()) {
            var policy = azure.aks.client.network().v1().networkPolicies().inNamespace(workload.namespace())
                    .withName(workload.networkPolicyName()).get();
            assertThat(policy.getSpec().getEgress().get(0).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.240.0.7/32");
        }
        assertThat(azure.metrics(AzureTelemetry.APPROVALS)).hasSize(1);
        assertThat(azure.metrics(AzureTelemetry.APPROVALS).get(0).path("target").asText()).isEqualTo(Events.SAMPLE_CONNECTION);
    }

    @Test
    void aStrangersConnectionIsRejectedWithTheReasonAndNothingElseChanges() {
        String allowed = requestFromAks("aks-relay-pe.1111", "10.240.0.7");
        function.run(Events.pecWrite(Events.PEC_WRITE_EVENT_GRID, "first", "aks-relay-pe.1111"), new TestContext(PrivateEndpointApprovalFunction.NAME));
        int writesBefore = arm.writes();
        JsonNode allowedBefore = arm.get(allowed).orElseThrow();

        String strangerEndpoint = arm.privateEndpoint(TestSpecs.STRANGER_SUBSCRIPTION, "intruder-rg", "sneaky-pe", STRANGER_VNET, "192.168.7.9");
        String stranger = arm.requestConnection(azure.privateLinkServiceId, "sneaky-pe.2222", strangerEndpoint);
        function.run(Events.pecWrite(Events.PEC_WRITE_CLOUD_EVENTS, "second", "sneaky-pe.2222"), new TestContext(PrivateEndpointApprovalFunction.NAME));

        assertThat(arm.connectionState(stranger).path("status").asText()).isEqualTo("Rejected");
        assertThat(arm.connectionState(stranger).path("description").asText())
                .startsWith("rejected by relay-link").contains(TestSpecs.STRANGER_SUBSCRIPTION);
        assertThat(arm.writes()).isEqualTo(writesBefore + 1);
        assertThat(arm.get(allowed).orElseThrow()).isEqualTo(allowedBefore);
        assertThat(dnsRecord()).containsExactly("10.240.0.7");
        assertThat(azure.metrics(AzureTelemetry.REJECTIONS)).hasSize(1);
    }

    @Test
    void theWriteEventOfItsOwnApprovalFindsNothingToDo() {
        String connection = requestFromAks(Events.SAMPLE_CONNECTION, "10.240.0.7");
        function.run(Events.pecWrite(Events.PEC_WRITE_EVENT_GRID, "consumer-request", Events.SAMPLE_CONNECTION),
                new TestContext(PrivateEndpointApprovalFunction.NAME));
        int writes = arm.writes();

        // Approving is a write on the connection: ARM raises ResourceWriteSuccess for it too.
        function.run(Events.pecWrite(Events.PEC_WRITE_CLOUD_EVENTS, "relay-link-approval", Events.SAMPLE_CONNECTION),
                new TestContext(PrivateEndpointApprovalFunction.NAME));

        assertThat(arm.writes()).isEqualTo(writes);
        assertThat(arm.connectionState(connection).path("status").asText()).isEqualTo("Approved");
        assertThat(outcomes()).last().isEqualTo("Reconcile [PRIVATE_ENDPOINTS, PRIVATE_DNS, AKS_NETWORK_POLICIES] NO_CHANGE");
        assertThat(azure.metrics(AzureTelemetry.APPROVALS)).hasSize(1);
    }

    @Test
    void aRedeliveredEventIsHandledOnce() {
        requestFromAks(Events.SAMPLE_CONNECTION, "10.240.0.7");
        String event = Events.text(Events.PEC_WRITE_EVENT_GRID);
        function.run(event, new TestContext(PrivateEndpointApprovalFunction.NAME));
        int writes = arm.writes();
        int requests = azure.fake.requests().size();

        function.run(event, new TestContext(PrivateEndpointApprovalFunction.NAME));

        assertThat(arm.writes()).isEqualTo(writes);
        // Only reads at ARM and Key Vault (the connection that checks the event names a real connection): the claim in
        // Table Storage refused the redelivery before anything was planned.
        assertThat(azure.fake.requests().subList(requests, azure.fake.requests().size())).allMatch(r -> r.method().equals("GET"));
        assertThat(outcomes()).last().isEqualTo("Reconcile [PRIVATE_ENDPOINTS, PRIVATE_DNS, AKS_NETWORK_POLICIES] DUPLICATE");
    }

    @Test
    void aRedeliveryToAnotherInstanceOfTheAppIsHandledOnce() {
        requestFromAks(Events.SAMPLE_CONNECTION, "10.240.0.7");
        String event = Events.text(Events.PEC_WRITE_EVENT_GRID);
        function.run(event, new TestContext(PrivateEndpointApprovalFunction.NAME));
        int writes = arm.writes();

        // scaled out: Event Grid redelivers to another instance, which shares only the state table
        AzureFunctions other = azure.restartedHost(new dev.relaylink.k8s.KubernetesClusterSecrets(azure.aks.client));
        new PrivateEndpointApprovalFunction(() -> other).run(event, new TestContext(PrivateEndpointApprovalFunction.NAME));

        assertThat(arm.writes()).isEqualTo(writes);
        assertThat(outcomes()).last().isEqualTo("Reconcile [PRIVATE_ENDPOINTS, PRIVATE_DNS, AKS_NETWORK_POLICIES] DUPLICATE");
    }

    private String requestFromAks(String connectionName, String ip) {
        String endpoint = arm.privateEndpoint(TestSpecs.SUBSCRIPTION, "aks-rg", connectionName.substring(0, connectionName.indexOf('.')), TestSpecs.VNET, ip);
        return arm.requestConnection(azure.privateLinkServiceId, connectionName, endpoint);
    }

    /** The A record of the relay host as ARM holds it. */
    private Set<String> dnsRecord() {
        Set<String> ips = new TreeSet<>();
        arm.get(azure.dnsZoneId + "/A/" + AzureHarness.SPEC.azure().privateDns().recordName())
                .ifPresent(set -> set.path("properties").path("aRecords").forEach(r -> ips.add(r.path("ipv4Address").asText())));
        return ips;
    }

    private List<String> outcomes() {
        return azure.audit().stream().map(a -> a.path("action").asText() + " " + a.path("outcome").asText()).toList();
    }
}
