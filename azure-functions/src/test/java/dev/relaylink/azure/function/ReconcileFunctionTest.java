package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.azure.fake.ArmFake;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.TestSpecs;
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
        assertThat(arm.connectionState(connection).path("status").asText()).isEqualTo("Approved");
        assertThat(azure.metrics(LinkTelemetry.DAYS_TO_EXPIRY)).hasSize(2)
                .allSatisfy(m -> assertThat(m.path("value").asDouble()).isBetween(6.9, 7.0));

        int azureWrites = azure.azureWrites().size();
        azure.aks.requests();
        function.run(timer(), new TestContext(ReconcileFunction.NAME));

        assertThat(azure.azureWrites()).hasSize(azureWrites);
        assertThat(azure.aks.requests()).allMatch(r -> r.startsWith("GET "));
        assertThat(azure.audit()).last().satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("NO_CHANGE"));
    }

    /** What the timer trigger passes: its schedule status as JSON. */
    private static String timer() {
        return "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":{\"Last\":\"2026-11-25T06:45:00+00:00\","
                + "\"Next\":\"2026-11-25T07:00:00+00:00\",\"LastUpdated\":\"2026-11-25T06:45:00+00:00\"},\"IsPastDue\":false}";
    }
}
