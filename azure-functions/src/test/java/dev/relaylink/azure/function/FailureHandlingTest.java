package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.exception.HttpResponseException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.azure.fake.ArmFake;
import dev.relaylink.testing.TestSpecs;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an Azure function does with each kind of failure (docs/azure.md, "Failures"), through the real
 * Azure SDK clients against the ARM fake: an access denial is audited FAILED and counted, and the
 * function returns (Event Grid does not redeliver what cannot pass); a throttled ARM is thrown, so
 * Event Grid or the retry policy brings the event back.
 */
class FailureHandlingTest {
    private final AzureHarness azure = new AzureHarness();
    private final ArmFake arm = azure.fake.arm();

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void anAccessDenialOnTheLinksSubscriptionIsAuditedFailedAndNotRetried() {
        String connection = requestFromAks("aks-relay-pe.3333");
        // The function's role assignment on the Private Link Service is gone: no redelivery can pass.
        arm.denyAccess(TestSpecs.SUBSCRIPTION);
        TestContext context = new TestContext(PrivateEndpointApprovalFunction.NAME);
        String event = Events.pecWrite(Events.PEC_WRITE_EVENT_GRID, "denied-write", "aks-relay-pe.3333");

        assertThatCode(() -> new PrivateEndpointApprovalFunction(() -> azure.link).run(event, context)).doesNotThrowAnyException();

        assertThat(azure.audit()).last().satisfies(a -> {
            assertThat(a.path("eventId").asText()).isEqualTo("denied-write");
            assertThat(a.path("action").asText()).isEqualTo(PrivateEndpointApprovalFunction.NAME);
            assertThat(a.path("outcome").asText()).isEqualTo("FAILED");
            assertThat(a.path("reason").asText()).startsWith("configuration failure, not retried").contains("access denied").contains("403");
        });
        assertThat(azure.metrics(AzureTelemetry.CONFIGURATION_FAILURES)).singleElement()
                .satisfies(m -> assertThat(m.path("function").asText()).isEqualTo(PrivateEndpointApprovalFunction.NAME));
        assertThat(context.warnings()).anySatisfy(w -> assertThat(w).contains("configuration failure").contains("denied-write"));
        assertThat(arm.writes()).isZero();
        assertThat(arm.connectionState(connection).path("status").asText()).isEqualTo("Pending");
    }

    @Test
    void theTimersRunStoppedByAnAccessDenialIsAuditedAndNotRetried() {
        arm.denyAccess(TestSpecs.SUBSCRIPTION);
        TestContext context = new TestContext(ReconcileFunction.NAME);

        assertThatCode(() -> new ReconcileFunction(() -> azure.link).run("{}", context)).doesNotThrowAnyException();

        List<JsonNode> failed = azure.audit().stream().filter(a -> a.path("action").asText().equals(ReconcileFunction.NAME)).toList();
        assertThat(failed).singleElement().satisfies(a -> {
            assertThat(a.path("eventId").asText()).isEqualTo("reconcile:" + context.getInvocationId());
            assertThat(a.path("outcome").asText()).isEqualTo("FAILED");
        });
        assertThat(azure.metrics(AzureTelemetry.CONFIGURATION_FAILURES)).hasSize(1);
    }

    @Test
    void aThrottledArmIsThrownSoTheEventComesBack() {
        requestFromAks("aks-relay-pe.4444");
        azure.fake.throttle("GET", "privateEndpointConnections");
        TestContext context = new TestContext(PrivateEndpointApprovalFunction.NAME);
        String event = Events.pecWrite(Events.PEC_WRITE_CLOUD_EVENTS, "throttled-write", "aks-relay-pe.4444");

        assertThatThrownBy(() -> new PrivateEndpointApprovalFunction(() -> azure.link).run(event, context))
                .isInstanceOf(HttpResponseException.class);

        assertThat(azure.audit()).noneSatisfy(a -> assertThat(a.path("outcome").asText()).isEqualTo("FAILED"));
        assertThat(azure.metrics(AzureTelemetry.CONFIGURATION_FAILURES)).isEmpty();
        assertThat(arm.writes()).isZero();
    }

    @Test
    void onlyA403IsAConfigurationFailure() {
        assertThat(Invocations.configuration(new IllegalStateException("applied 0 of 2 actions"))).isEmpty();
        assertThat(Invocations.configuration(new HttpResponseException("no response", null))).isEmpty();
    }

    private String requestFromAks(String connectionName) {
        String endpoint = arm.privateEndpoint(TestSpecs.SUBSCRIPTION, "aks-rg", connectionName.substring(0, connectionName.indexOf('.')), TestSpecs.VNET,
                "10.240.0.7");
        return arm.requestConnection(azure.privateLinkServiceId, connectionName, endpoint);
    }
}
