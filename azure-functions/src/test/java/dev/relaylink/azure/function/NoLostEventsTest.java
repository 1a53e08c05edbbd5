package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.azure.adapter.TableStorageIdempotencyStore;
import dev.relaylink.azure.fake.ArmFake;
import dev.relaylink.k8s.KubernetesClusterSecrets;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.port.IdempotencyStore.Claim;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.testing.TestSpecs;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Event Grid's retries (10 s, 30 s, 1 min, 5 min, 10 min, ... for 24 hours) against the event claims
 * in Table storage: a run that died after claiming its event (the host killed it at functionTimeout)
 * does not lose the event; the retry after the claim's expiry does the work, once.
 */
class NoLostEventsTest {
    private final AzureHarness azure = new AzureHarness();
    private final ArmFake arm = azure.fake.arm();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final AzureFunctions host = azure.restartedHost(new KubernetesClusterSecrets(azure.aks.client), clock);
    private final PrivateEndpointApprovalFunction function = new PrivateEndpointApprovalFunction(() -> host);

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void aRunKilledAfterItsClaimIsRedoneByEventGridsRetryExactlyOnce() throws Exception {
        String endpoint = arm.privateEndpoint(TestSpecs.SUBSCRIPTION, "aks-rg", "aks-relay-pe", TestSpecs.VNET, "10.240.0.7");
        String connection = arm.requestConnection(azure.privateLinkServiceId, Events.SAMPLE_CONNECTION, endpoint);
        String event = Events.text(Events.PEC_WRITE_EVENT_GRID);
        String eventId = PrivateEndpointWrite.of(EventEnvelope.parse(event), AzureHarness.SPEC).eventId();
        var table = azure.clients.table(azure.azurite.tableServiceUri(), azure.stateTable);
        assertThat(new TableStorageIdempotencyStore(table, clock, AzureSettings.CLAIMS).claim(eventId)).isEqualTo(Claim.CLAIMED);

        // Event Grid's early retries come while the dead run's claim lives: each fails, so Event Grid keeps the event.
        for (Duration retry : new Duration[] {Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1)}) {
            clock.advance(retry);
            assertThatThrownBy(() -> function.run(event, new TestContext(PrivateEndpointApprovalFunction.NAME)))
                    .isInstanceOf(Reconciler.EventInProgressException.class);
        }
        assertThat(arm.connectionState(connection).path("status").asText()).isEqualTo("Pending");

        // The 5-minute retry comes after the claim expired (functionTimeout plus the clock margin): it approves.
        clock.advance(Duration.ofMinutes(5));
        function.run(event, new TestContext(PrivateEndpointApprovalFunction.NAME));
        int writes = arm.writes();
        clock.advance(Duration.ofMinutes(10));
        function.run(event, new TestContext(PrivateEndpointApprovalFunction.NAME));

        assertThat(arm.connectionState(connection).path("status").asText()).isEqualTo("Approved");
        assertThat(arm.writes()).as("the later redelivery changes nothing").isEqualTo(writes);
        assertThat(azure.audit()).filteredOn(r -> r.path("action").asText().equals("ApprovePrivateEndpoint"))
                .singleElement().satisfies(r -> assertThat(r.path("outcome").asText()).isEqualTo("APPLIED"));
        assertThat(azure.audit()).last().satisfies(r -> assertThat(r.path("outcome").asText()).isEqualTo("DUPLICATE"));
    }
}
