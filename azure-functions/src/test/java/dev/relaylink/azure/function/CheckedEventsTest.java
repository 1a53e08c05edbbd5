package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.event.RefusedEvent;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.TestSpecs;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks that turn an envelope into an event about this link, or refuse it with the reason. */
class CheckedEventsTest {
    private static final LinkSpec SPEC = TestSpecs.example();

    @ParameterizedTest
    @ValueSource(strings = {Events.PEC_WRITE_EVENT_GRID, Events.PEC_WRITE_CLOUD_EVENTS})
    void aPecWriteOnTheLinksPrivateLinkServiceNamesTheConnection(String file) throws RefusedEvent {
        PrivateEndpointWrite write = PrivateEndpointWrite.of(EventEnvelope.parse(Events.text(file)), SPEC);
        assertThat(write.eventId()).isEqualTo(Events.json(file).get("id").asText());
        assertThat(write.connection()).isEqualTo(new PrivateEndpointConnectionId(TestSpecs.SUBSCRIPTION, "relay-link-rg",
                "relay-forwarder-pls", Events.SAMPLE_CONNECTION));
    }

    @Test
    void aPecWriteWithoutResourceUriIsReadFromTheSubject() throws RefusedEvent {
        String event = Events.edited(Events.PEC_WRITE_EVENT_GRID, e -> Events.data(e).remove("resourceUri"));
        assertThat(PrivateEndpointWrite.of(EventEnvelope.parse(event), SPEC).connection().connection()).isEqualTo(Events.SAMPLE_CONNECTION);
    }

    @Test
    void armIdsAreMatchedCaseInsensitively() throws RefusedEvent {
        String event = Events.edited(Events.PEC_WRITE_CLOUD_EVENTS, e -> Events.data(e).put("resourceUri",
                Events.data(e).get("resourceUri").asText().replace("resourceGroups/relay-link-rg", "resourcegroups/RELAY-LINK-RG")
                        .replace("Microsoft.Network", "microsoft.network")));
        assertThat(PrivateEndpointWrite.of(EventEnvelope.parse(event), SPEC).connection().connection()).isEqualTo(Events.SAMPLE_CONNECTION);
    }

    @Test
    void pecWritesForAnythingButTheLinksServiceAreRefused() {
        assertPecRefused(resource("relay-link-rg", "other-pls", TestSpecs.SUBSCRIPTION), "not the link's relay-forwarder-pls");
        assertPecRefused(resource("other-rg", "relay-forwarder-pls", TestSpecs.SUBSCRIPTION), "in resource group other-rg");
        assertPecRefused(resource("relay-link-rg", "relay-forwarder-pls", TestSpecs.STRANGER_SUBSCRIPTION), "of subscription " + TestSpecs.STRANGER_SUBSCRIPTION);
        assertPecRefused("/subscriptions/" + TestSpecs.SUBSCRIPTION + "/resourceGroups/relay-link-rg/providers/Microsoft.Network/privateLinkServices/relay-forwarder-pls",
                "is not a private endpoint connection");
        assertThatThrownBy(() -> PrivateEndpointWrite.of(EventEnvelope.parse(Events.edited(Events.PEC_WRITE_EVENT_GRID,
                e -> Events.data(e).put("operationName", "Microsoft.Network/privateEndpoints/write"))), SPEC))
                .isInstanceOf(RefusedEvent.class).hasMessageContaining("operation 'Microsoft.Network/privateEndpoints/write' is not");
        assertThatThrownBy(() -> PrivateEndpointWrite.of(EventEnvelope.parse(Events.edited(Events.PEC_WRITE_EVENT_GRID,
                e -> e.put("eventType", "Microsoft.Resources.ResourceDeleteSuccess"))), SPEC))
                .isInstanceOf(RefusedEvent.class).hasMessageContaining("event type 'Microsoft.Resources.ResourceDeleteSuccess'");
        assertThatThrownBy(() -> PrivateEndpointWrite.of(EventEnvelope.parse(Events.edited(Events.PEC_WRITE_EVENT_GRID,
                e -> Events.data(e).remove("operationName"))), SPEC))
                .isInstanceOf(RefusedEvent.class).hasMessageContaining("no data.operationName");
    }

    @ParameterizedTest
    @ValueSource(strings = {Events.NEAR_EXPIRY_EVENT_GRID, Events.NEAR_EXPIRY_CLOUD_EVENTS, Events.EXPIRED_EVENT_GRID, Events.EXPIRED_CLOUD_EVENTS})
    void aCertificateEventNamesTheWorkloadAndTheExpiringVersion(String file) throws RefusedEvent {
        CertificateExpiry expiry = CertificateExpiry.of(EventEnvelope.parse(Events.text(file)), SPEC);
        assertThat(expiry.workload()).isEqualTo(SPEC.workloads().get(0));
        assertThat(expiry.version()).isEqualTo("3f0c6e2b9a8d4c7e91b5a2d4f6e8c0a1");
        assertThat(expiry.expires()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(expiry.eventType()).isEqualTo(file.contains("near-expiry") ? CertificateExpiry.NEAR_EXPIRY : CertificateExpiry.EXPIRED);
    }

    @Test
    void certificateEventsOutsideTheLinkAreRefused() {
        assertExpiryRefused(e -> Events.data(e).put("VaultName", "other-kv"), "vault 'other-kv' is not the link's vault relay-link-kv");
        assertExpiryRefused(e -> Events.data(e).put("ObjectName", "client-payments--intruder"), "certificate 'client-payments--intruder' is not");
        assertExpiryRefused(e -> Events.data(e).put("ObjectType", "Secret"), "object type 'Secret' is not Certificate");
        assertExpiryRefused(e -> e.put("eventType", "Microsoft.KeyVault.SecretNearExpiry"), "event type 'Microsoft.KeyVault.SecretNearExpiry'");
        assertExpiryRefused(e -> Events.data(e).remove("Version"), "no data.Version");
        assertExpiryRefused(e -> Events.data(e).remove("ObjectName"), "no data.ObjectName");
        assertExpiryRefused(e -> Events.data(e).put("EXP", "soon"), "no whole-number data.EXP");
        assertExpiryRefused(e -> Events.data(e).put("EXP", Long.MAX_VALUE), "not a plausible Unix time");
    }

    private static String resource(String group, String service, String subscription) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + group + "/providers/Microsoft.Network/privateLinkServices/" + service
                + "/privateEndpointConnections/" + Events.SAMPLE_CONNECTION;
    }

    private static void assertPecRefused(String resource, String reason) {
        String event = Events.edited(Events.PEC_WRITE_EVENT_GRID, e -> {
            e.put("subject", resource);
            Events.data(e).put("resourceUri", resource);
        });
        assertThatThrownBy(() -> PrivateEndpointWrite.of(EventEnvelope.parse(event), SPEC)).isInstanceOf(RefusedEvent.class).hasMessageContaining(reason);
    }

    private static void assertExpiryRefused(java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit, String reason) {
        String event = Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, edit);
        assertThatThrownBy(() -> CertificateExpiry.of(EventEnvelope.parse(event), SPEC)).isInstanceOf(RefusedEvent.class).hasMessageContaining(reason);
    }
}
