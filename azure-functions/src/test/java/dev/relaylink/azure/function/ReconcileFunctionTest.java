package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.azure.fake.ArmFake;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timer: from an empty Azure half to the spec in one run, and a second run that finds nothing to do. */
class ReconcileFunctionTest {
    private final AzureHarness azure = new AzureHarness();
    private final ArmFake arm = azure.fake.arm();
    private final ReconcileFunction function = new ReconcileFunction(() -> azure.link);

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void oneRunBringsTheAzureHalfToTheSpecAndTheNextFindsNothingToDo() {
        String endpoint = arm.privateEndpoint(TestSpecs.SUBSCRIPTION, "aks-rg", "aks-relay-pe", TestSpecs.VNET, "10.240.0.9");
        String connection = arm.requestConnection(azure.privateLinkServiceId, "aks-relay-pe.7777", endpoint);

        function.run(timer(), new TestContext(ReconcileFunction.NAME));

        TrustBundle clientCas = TrustBundle.of(azure.link.ports().clientCaCertificates().certificates());
        assertThat(clientCas.certificates()).hasSize(1);
        for (LinkSpec.Workload workload : AzureHarness.SPEC.workloads()) {
            var id = workload.spiffeId(AzureHarness.SPEC.trustDomain());
            var leaf = azure.link.ports().clientCertificates().current(id).orElseThrow().leaf();
            ChainValidator.validate(List.of(leaf), clientCas, Instant.now());
            assertThat(Certificates.spiffeId(leaf)).contains(id);
            assertThat(AzureHarness.credentialIn(azure.secret(workload.namespace(), workload.secretName()).orElseThrow()).leaf()).isEqualTo(leaf);
        }
        assertThat(azure.aws.clientCas).as("the client CA published to AWS").isEqualTo(clientCas.certificates());
        assertThat(arm.connectionState(connection).path("status").asText()).isEqualTo("Approved");
        assertThat(azure.metrics(AzureTelemetry.DAYS_TO_EXPIRY)).hasSize(2)
                .allSatisfy(m -> assertThat(m.path("value").asDouble()).isBetween(6.9, 7.0));

        int azureWrites = azure.azureWrites().size();
        azure.aks.requests();
        function.run(timer(), new TestContext(ReconcileFunction.NAME));

        assertThat(azure.azureWrites()).hasSize(azureWrites);
        assertThat(azure.aks.requests()).allMatch(r -> r.startsWith("GET "));
        assertThat(azure.audit()).last().satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("NO_CHANGE"));
    }

    @Test
    void aServerCaAddedOnAwsIsMirroredIntoKeyVaultAndEveryWorkloadSecretBeforeAnythingElse() {
        function.run(timer(), new TestContext(ReconcileFunction.NAME));
        X509Certificate next = new TestPki(Instant.now()).serverCa.certificate();
        azure.aws.serverCas.addFirst(next); // AWS trusts a new server CA ahead of issuing from it

        function.run(timer(), new TestContext(ReconcileFunction.NAME));

        String bundle = TrustBundle.of(azure.aws.serverCas()).pem();
        assertThat(azure.fake.keyVault().secretValue(AzureHarness.SERVER_CA_SECRET)).contains(Pem.write(azure.aws.serverCas()));
        for (LinkSpec.Workload workload : AzureHarness.SPEC.workloads()) {
            assertThat(AzureHarness.decode(azure.secret(workload.namespace(), workload.secretName()).orElseThrow(), "ca.crt")).isEqualTo(bundle);
        }
        List<String> actions = azure.audit().stream().map(a -> a.path("action").asText()).toList();
        assertThat(actions.subList(actions.lastIndexOf("MirrorServerCas"), actions.size()))
                .containsExactly("MirrorServerCas", "WriteWorkloadSecret", "WriteWorkloadSecret", "AcknowledgeWorkloadServerCas");
        // AWS learns that every workload trusts the new CA only from what the workloads' secrets hold
        assertThat(azure.aws.serverCasInWorkloads).containsExactlyElementsOf(azure.aws.serverCas());
        assertThat(azure.aws.publishes).as("the client CAs did not change: published once").isEqualTo(1);
    }

    /** What the timer trigger passes: its schedule status as JSON. */
    private static String timer() {
        return "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":{\"Last\":\"2026-11-25T06:45:00+00:00\","
                + "\"Next\":\"2026-11-25T07:00:00+00:00\",\"LastUpdated\":\"2026-11-25T06:45:00+00:00\"},\"IsPastDue\":false}";
    }
}
