package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.azure.function.EventEnvelope.Schema;
import dev.relaylink.event.RefusedEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    @ParameterizedTest
    @ValueSource(strings = {Events.PEC_WRITE_EVENT_GRID, Events.PEC_WRITE_CLOUD_EVENTS, Events.NEAR_EXPIRY_EVENT_GRID,
            Events.NEAR_EXPIRY_CLOUD_EVENTS, Events.EXPIRED_EVENT_GRID, Events.EXPIRED_CLOUD_EVENTS})
    void readsBothPublishedEnvelopes(String file) throws RefusedEvent {
        var sample = Events.json(file);
        EventEnvelope event = EventEnvelope.parse(Events.text(file));

        assertThat(event.schema()).isEqualTo(Events.isCloudEvent(file) ? Schema.CLOUD_EVENTS : Schema.EVENT_GRID);
        assertThat(event.id()).isEqualTo(sample.get("id").asText());
        assertThat(event.type()).isEqualTo(sample.path(Events.isCloudEvent(file) ? "type" : "eventType").asText());
        assertThat(event.subject()).isEqualTo(sample.get("subject").asText());
        assertThat(event.source()).isEqualTo(sample.path(Events.isCloudEvent(file) ? "source" : "topic").asText());
        assertThat(event.data()).isEqualTo(sample.get("data"));
    }

    @Test
    void acceptsAWebhookStyleArrayOfOneEventOnly() throws RefusedEvent {
        String one = Events.text(Events.NEAR_EXPIRY_EVENT_GRID);
        assertThat(EventEnvelope.parse("[" + one + "]").id()).isEqualTo(EventEnvelope.parse(one).id());
        assertRejected("[" + one + "," + one + "]", "expected one event, got an array of 2");
        assertRejected("[]", "expected one event, got an array of 0");
    }

    @Test
    void readsDataFieldsWhateverTheirCase() throws RefusedEvent {
        EventEnvelope event = EventEnvelope.parse(Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> {
            var data = Events.data(e);
            data.remove("VaultName");
            data.put("vaultName", "relay-link-kv");
            data.remove("EXP");
            data.put("exp", 1795478400L);
        }));
        assertThat(event.dataText("VaultName")).isEqualTo("relay-link-kv");
        assertThat(event.dataText("vaultname")).isEqualTo("relay-link-kv");
        assertThat(event.dataSeconds("EXP")).isEqualTo(1795478400L);
        assertThat(event.dataText("objectName")).isEqualTo("client-payments--checkout");
    }

    /** Key Vault's data as some deliveries carry it: keys with surrounding whitespace, Unix times as strings of digits. */
    @Test
    void readsDataKeysWithoutSurroundingWhitespaceAndNumbersAsNumbersOrNumericStrings() throws RefusedEvent {
        EventEnvelope event = EventEnvelope.parse(Events.edited(Events.NEAR_EXPIRY_CLOUD_EVENTS, e -> {
            var data = Events.data(e);
            data.set(" VaultName ", data.remove("VaultName"));
            data.put("EXP", " 1795478400 ");
            data.put("NBF", 1794873600);
        }));
        assertThat(event.dataText("VaultName")).isEqualTo("relay-link-kv");
        assertThat(event.dataSeconds("EXP")).isEqualTo(1795478400L);
        assertThat(event.dataSeconds("NBF")).isEqualTo(1794873600L);
        EventEnvelope odd = EventEnvelope.parse(Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> {
            Events.data(e).put("EXP", "17954784.5");
            Events.data(e).put("NBF", 1.5);
        }));
        assertThatThrownBy(() -> odd.dataSeconds("EXP")).isInstanceOf(RefusedEvent.class).hasMessageContaining("no whole-number data.EXP");
        assertThatThrownBy(() -> odd.dataSeconds("NBF")).isInstanceOf(RefusedEvent.class).hasMessageContaining("no whole-number data.NBF");
    }

    /** Event Grid's handshake (its subject is empty) reaches a function only misrouted: it is refused for its type. */
    @Test
    void aSubscriptionValidationEventIsRefusedForItsTypeByEveryFunction() throws RefusedEvent {
        EventEnvelope validation = EventEnvelope.parse(Events.text("subscription-validation.eventgrid.json"));
        assertThat(validation.subject()).isEmpty();
        assertThatThrownBy(() -> CertificateExpiry.of(validation, AzureHarness.SPEC)).isInstanceOf(RefusedEvent.class)
                .hasMessageContaining("event type 'Microsoft.EventGrid.SubscriptionValidationEvent'");
        assertThatThrownBy(() -> PrivateEndpointWrite.of(validation, AzureHarness.SPEC)).isInstanceOf(RefusedEvent.class)
                .hasMessageContaining("event type 'Microsoft.EventGrid.SubscriptionValidationEvent'");
    }

    @Test
    void refusesMalformedAndOversizedInput() {
        assertRejected(null, "empty event");
        assertRejected("  ", "empty event");
        assertRejected("{\"id\": ", "malformed JSON");
        assertRejected("not json", "malformed JSON");
        assertRejected("42", "must be a JSON object");
        assertRejected("\"text\"", "must be a JSON object");
        String padded = Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> e.put("padding", "x".repeat(EventEnvelope.MAX_CHARS)));
        assertRejected(padded, "over the " + EventEnvelope.MAX_CHARS + " limit");
    }

    @Test
    void refusesEventsWithoutTheEnvelopeFields() {
        assertRejected(Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> e.remove("id")), "no 'id'");
        assertRejected(Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> e.put("id", "")), "no 'id'");
        assertRejected(Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> e.put("id", "x".repeat(257))), "longer than 256");
        assertRejected(Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> e.remove("eventType")), "no 'eventType'");
        assertRejected(Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> e.remove("data")), "no 'data' object");
        assertRejected(Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> e.put("data", "text")), "no 'data' object");
        assertRejected(Events.edited(Events.NEAR_EXPIRY_CLOUD_EVENTS, e -> e.remove("type")), "no 'type'");
        assertRejected(Events.edited(Events.NEAR_EXPIRY_CLOUD_EVENTS, e -> e.remove("source")), "no 'source'");
        assertRejected(Events.edited(Events.NEAR_EXPIRY_CLOUD_EVENTS, e -> e.put("specversion", "0.3")), "specversion '0.3'");
        assertRejected(Events.edited(Events.NEAR_EXPIRY_CLOUD_EVENTS, e -> {
            e.remove("data");
            e.put("data_base64", "e30=");
        }), "data_base64");
    }

    @Test
    void aMissingDataFieldIsNamed() throws RefusedEvent {
        EventEnvelope event = EventEnvelope.parse(Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> Events.data(e).remove("Version")));
        assertThatThrownBy(() -> event.dataText("Version")).isInstanceOf(RefusedEvent.class).hasMessageContaining("has no data.Version");
        assertThatThrownBy(() -> event.dataSeconds("VaultName")).isInstanceOf(RefusedEvent.class).hasMessageContaining("no whole-number data.VaultName");
    }

    private static void assertRejected(String payload, String reason) {
        assertThatThrownBy(() -> EventEnvelope.parse(payload)).isInstanceOf(RefusedEvent.class).hasMessageContaining(reason);
    }
}
