package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.spec.LinkSpec;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Changes inside AKS reported by its audit log through an Event Hub: the workload's secret and egress policy are written back; anything else is refused. */
class ClusterChangeFunctionTest {
    private static final LinkSpec.Workload CHECKOUT = AzureHarness.SPEC.workloads().get(0);

    private final AzureHarness azure = new AzureHarness();
    private final Credential current = azure.bootstrap(CHECKOUT);
    private final ClusterChangeFunction function = new ClusterChangeFunction(() -> azure.link);

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void aDeletedWorkloadSecretIsWrittenBackOnce() {
        azure.aks.client.secrets().inNamespace(CHECKOUT.namespace()).withName(CHECKOUT.secretName()).delete();
        String[] batch = {records(record(a -> { }))};

        function.run(batch, new TestContext(ClusterChangeFunction.NAME));
        function.run(batch, new TestContext(ClusterChangeFunction.NAME));

        var restored = azure.secret(CHECKOUT.namespace(), CHECKOUT.secretName()).orElseThrow();
        assertThat(Certificates.fingerprint(AzureHarness.credentialIn(restored).leaf())).isEqualTo(Certificates.fingerprint(current.leaf()));
        assertThat(outcomes()).contains("WriteWorkloadSecret APPLIED").last().isEqualTo("Reconcile [AKS_SECRETS] DUPLICATE");
    }

    @Test
    void aDeletedWorkloadNetworkPolicyIsWrittenBack() {
        azure.aks.client.network().networkPolicies().inNamespace(CHECKOUT.namespace()).delete();
        String[] batch = {records(record(a -> ((ObjectNode) a.get("objectRef")).put("resource", "networkpolicies")
                .put("apiGroup", "networking.k8s.io").put("name", "whatever-was-deleted")))};

        function.run(batch, new TestContext(ClusterChangeFunction.NAME));

        assertThat(azure.aks.client.network().networkPolicies().inNamespace(CHECKOUT.namespace()).list().getItems()).isNotEmpty();
        assertThat(outcomes()).contains("WriteWorkloadEgressPolicy APPLIED");
    }

    @Test
    void batchesAboutAnythingElseAreRefusedWithNothingChanged() {
        List<String> writesBefore = azure.azureWrites();
        List<String[]> refused = List.of(
                new String[] {records(record(a -> ((ObjectNode) a.get("objectRef")).put("namespace", "kube-system")))},
                new String[] {records(record(a -> ((ObjectNode) a.get("objectRef")).put("name", "someone-elses")))},
                new String[] {records(record(a -> a.put("verb", "get")))},
                new String[] {records(record(a -> ((ObjectNode) a.get("responseStatus")).put("code", 404)))},
                new String[] {records(record(a -> { })).replace("MANAGEDCLUSTERS/RELAY-AKS", "MANAGEDCLUSTERS/OTHER-AKS")},
                new String[] {records(record(a -> { })).replace("\"kube-audit\"", "\"kube-apiserver\"")},
                new String[] {"not json"},
                new String[] {});

        refused.forEach(batch -> function.run(batch, new TestContext(ClusterChangeFunction.NAME)));

        assertThat(azure.audit()).extracting(a -> a.path("outcome").asText()).containsOnly("REJECTED").hasSize(refused.size());
        assertThat(azure.audit()).extracting(a -> a.path("reason").asText()).satisfiesExactly(
                r -> assertThat(r).contains("none of the 1 audit records"), r -> assertThat(r).contains("none of the 1 audit records"),
                r -> assertThat(r).contains("none of the 1 audit records"), r -> assertThat(r).contains("none of the 1 audit records"),
                r -> assertThat(r).contains("none of the 1 audit records"), r -> assertThat(r).contains("none of the 1 audit records"),
                r -> assertThat(r).contains("not Azure Monitor's"), r -> assertThat(r).contains("no events"));
        assertThat(azure.azureWrites()).isEqualTo(writesBefore);
    }

    /** The diagnostic-log sample with its audit event edited. */
    private static ObjectNode record(Consumer<ObjectNode> edit) {
        ObjectNode records = Events.json("aks-audit-secret-delete.json");
        ObjectNode record = (ObjectNode) records.get("records").get(0);
        try {
            ObjectNode audit = (ObjectNode) JsonLines.JSON.readTree(record.at("/properties/log").asText());
            audit.put("auditID", UUID.randomUUID().toString());
            edit.accept(audit);
            ((ObjectNode) record.get("properties")).put("log", audit.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return records;
    }

    private static String records(ObjectNode records) {
        return records.toString();
    }

    private List<String> outcomes() {
        return azure.audit().stream().map(a -> a.path("action").asText() + " " + a.path("outcome").asText()).toList();
    }
}
