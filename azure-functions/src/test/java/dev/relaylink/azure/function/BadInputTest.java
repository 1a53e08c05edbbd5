package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.testing.TestSpecs;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad input, delivered to the function it could be aimed at: the function returns
 * normally (a redelivery would be refused again, so no retry), changes nothing in Key Vault, ARM or
 * AKS, and logs why, as a REJECTED audit record and as a warning on the invocation's logger.
 */
class BadInputTest {
    private static final String PEC = PrivateEndpointApprovalFunction.NAME;
    private static final String ROTATION = ClientCertificateRotationFunction.NAME;

    private final AzureHarness azure = new AzureHarness();

    @AfterEach
    void stop() {
        azure.close();
    }

    static Stream<Arguments> badEvents() {
        String oversized = Events.edited(Events.PEC_WRITE_EVENT_GRID, e -> Events.data(e).put("padding", "x".repeat(EventEnvelope.MAX_CHARS)));
        return Stream.of(
                Arguments.of(PEC, "malformed JSON", "{\"id\": \"1\", \"eventType\": ", "malformed JSON"),
                Arguments.of(ROTATION, "malformed JSON", "<event/>", "malformed JSON"),
                Arguments.of(PEC, "oversized", oversized, "over the 1048576 limit"),
                Arguments.of(ROTATION, "oversized", oversized, "over the 1048576 limit"),
                Arguments.of(PEC, "unknown event type", Events.text(Events.NEAR_EXPIRY_EVENT_GRID),
                        "event type 'Microsoft.KeyVault.CertificateNearExpiry' is not Microsoft.Resources.ResourceWriteSuccess"),
                Arguments.of(ROTATION, "unknown event type", Events.text(Events.PEC_WRITE_CLOUD_EVENTS),
                        "event type 'Microsoft.Resources.ResourceWriteSuccess' is not"),
                Arguments.of(PEC, "another write operation", Events.edited(Events.PEC_WRITE_CLOUD_EVENTS,
                        e -> Events.data(e).put("operationName", "Microsoft.Network/privateLinkServices/write")),
                        "operation 'Microsoft.Network/privateLinkServices/write' is not"),
                Arguments.of(PEC, "resource group not in the spec", Events.edited(Events.PEC_WRITE_EVENT_GRID, e -> {
                    String other = Events.data(e).get("resourceUri").asText().replace("/relay-link-rg/", "/other-rg/");
                    e.put("subject", other);
                    Events.data(e).put("resourceUri", other);
                }), "in resource group other-rg"),
                Arguments.of(PEC, "subscription not in the spec", Events.edited(Events.PEC_WRITE_CLOUD_EVENTS, e -> {
                    String other = Events.data(e).get("resourceUri").asText().replace(TestSpecs.SUBSCRIPTION, TestSpecs.STRANGER_SUBSCRIPTION);
                    Events.data(e).put("resourceUri", other);
                }), "of subscription " + TestSpecs.STRANGER_SUBSCRIPTION),
                Arguments.of(PEC, "missing fields", Events.edited(Events.PEC_WRITE_EVENT_GRID, e -> Events.data(e).remove("operationName")),
                        "has no data.operationName"),
                Arguments.of(PEC, "missing envelope id", Events.edited(Events.PEC_WRITE_CLOUD_EVENTS, e -> e.remove("id")), "no 'id'"),
                Arguments.of(ROTATION, "vault not in the spec", Events.edited(Events.NEAR_EXPIRY_EVENT_GRID,
                        e -> Events.data(e).put("VaultName", "someone-elses-kv")), "vault 'someone-elses-kv' is not the link's vault"),
                Arguments.of(ROTATION, "certificate not in the spec", Events.edited(Events.EXPIRED_CLOUD_EVENTS,
                        e -> Events.data(e).put("ObjectName", "web-frontend-tls")), "certificate 'web-frontend-tls' is not the client certificate"),
                Arguments.of(ROTATION, "missing fields", Events.edited(Events.NEAR_EXPIRY_CLOUD_EVENTS, e -> Events.data(e).remove("EXP")),
                        "has no whole-number data.EXP"),
                Arguments.of(ROTATION, "missing data", Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> e.remove("data")), "no 'data' object"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badEvents")
    void isRefusedWithALoggedReasonAndNoChange(String function, String kind, String event, String reason) {
        azure.bootstrap(AzureHarness.SPEC.workloads().get(0));
        List<String> writesBefore = azure.azureWrites();
        int azureRequests = azure.fake.requests().size();
        azure.aks.requests();
        TestContext context = new TestContext(function);

        invoke(function, event, context);

        assertThat(azure.fake.requests()).as("no Key Vault or ARM call at all").hasSize(azureRequests);
        assertThat(azure.azureWrites()).isEqualTo(writesBefore);
        assertThat(azure.aks.requests()).as("no AKS call").isEmpty();
        List<JsonNode> audit = azure.audit();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(audit.get(0).path("action").asText()).isEqualTo(function);
        assertThat(audit.get(0).path("eventId").asText()).isEqualTo("invocation:" + context.getInvocationId());
        assertThat(audit.get(0).path("reason").asText()).contains(reason);
        assertThat(context.warnings()).singleElement().asString().contains(reason);
    }

    @org.junit.jupiter.api.Test
    void aWriteAboutAConnectionThatIsGoneOnlyReadsIt() {
        TestContext context = new TestContext(PEC);
        invoke(PEC, Events.text(Events.PEC_WRITE_EVENT_GRID), context);

        assertThat(azure.azureWrites()).as("nothing but the server CA bundle seeded by the harness").hasSize(1);
        assertThat(azure.audit()).singleElement().satisfies(a -> {
            assertThat(a.path("outcome").asText()).isEqualTo("REJECTED");
            assertThat(a.path("eventId").asText()).isEqualTo(Events.json(Events.PEC_WRITE_EVENT_GRID).get("id").asText());
            assertThat(a.path("reason").asText()).contains("connection " + Events.SAMPLE_CONNECTION + " does not exist");
        });
        assertThat(context.warnings()).hasSize(1);
    }

    private void invoke(String function, String event, TestContext context) {
        Supplier<AzureFunctions> link = () -> azure.link;
        if (function.equals(PEC)) {
            new PrivateEndpointApprovalFunction(link).run(event, context);
        } else {
            new ClientCertificateRotationFunction(link).run(event, context);
        }
    }
}
