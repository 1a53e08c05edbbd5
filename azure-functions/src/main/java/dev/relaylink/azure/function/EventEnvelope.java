package dev.relaylink.azure.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.event.RefusedEvent;
import java.util.Map;
import java.util.Optional;

/**
 * One event as the Event Grid trigger hands it over, in either envelope: the Event Grid schema
 * ({@code eventType}, {@code subject}, {@code topic}) or CloudEvents 1.0 ({@code specversion},
 * {@code type}, {@code source}). Only what relay-link reads is kept.
 *
 * @param source the Event Grid {@code topic} or the CloudEvents {@code source}; empty when absent
 */
public record EventEnvelope(Schema schema, String id, String type, String subject, String source, JsonNode data) {

    public enum Schema { EVENT_GRID, CLOUD_EVENTS }

    /** Event Grid refuses events over 1 MB; anything larger did not come from it. */
    public static final int MAX_CHARS = 1024 * 1024;
    private static final int MAX_ID_CHARS = 256;

    /** Checks size and shape before any field is trusted; an array is accepted only when it holds exactly one event. */
    public static EventEnvelope parse(String payload) throws RefusedEvent {
        if (payload == null || payload.isBlank()) {
            throw new RefusedEvent("empty event");
        }
        if (payload.length() > MAX_CHARS) {
            throw new RefusedEvent("event of " + payload.length() + " characters is over the " + MAX_CHARS + " limit");
        }
        JsonNode root;
        try {
            root = JsonLines.JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new RefusedEvent("malformed JSON: " + e.getOriginalMessage());
        }
        if (root != null && root.isArray()) {
            if (root.size() != 1) {
                throw new RefusedEvent("expected one event, got an array of " + root.size());
            }
            root = root.get(0);
        }
        if (root == null || !root.isObject()) {
            throw new RefusedEvent("an event must be a JSON object");
        }
        return root.has("specversion") ? cloudEvent(root) : eventGridEvent(root);
    }

    private static EventEnvelope cloudEvent(JsonNode root) throws RefusedEvent {
        String version = text(root, "specversion").orElse("");
        if (!"1.0".equals(version)) {
            throw new RefusedEvent("unsupported CloudEvents specversion '" + version + "'");
        }
        if (root.has("data_base64")) {
            throw new RefusedEvent("binary CloudEvents data (data_base64) is not accepted");
        }
        return new EventEnvelope(Schema.CLOUD_EVENTS, id(root), required(root, "type"),
                text(root, "subject").orElse(""), required(root, "source"), data(root));
    }

    private static EventEnvelope eventGridEvent(JsonNode root) throws RefusedEvent {
        // No subject is required here: Event Grid's own SubscriptionValidationEvent has an empty one, and
        // it must be refused for its type by the function, which checks the type before anything else.
        return new EventEnvelope(Schema.EVENT_GRID, id(root), required(root, "eventType"),
                text(root, "subject").orElse(""), text(root, "topic").orElse(""), data(root));
    }

    private static String id(JsonNode root) throws RefusedEvent {
        String id = required(root, "id");
        if (id.length() > MAX_ID_CHARS) {
            throw new RefusedEvent("event id longer than " + MAX_ID_CHARS + " characters");
        }
        return id;
    }

    private static JsonNode data(JsonNode root) throws RefusedEvent {
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new RefusedEvent("event has no 'data' object");
        }
        return data;
    }

    private static String required(JsonNode node, String field) throws RefusedEvent {
        return text(node, field).orElseThrow(() -> new RefusedEvent("event has no '" + field + "'"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    /**
     * A field of {@code data} whatever its case and surrounding whitespace: Key Vault sends {@code VaultName}
     * and {@code EXP} where its documentation shows {@code vaultName} and {@code exp}.
     */
    public Optional<JsonNode> dataField(String name) {
        for (Map.Entry<String, JsonNode> field : data.properties()) {
            if (field.getKey().strip().equalsIgnoreCase(name) && !field.getValue().isNull()) {
                return Optional.of(field.getValue());
            }
        }
        return Optional.empty();
    }

    /** A non-blank text field of {@code data}, read case-insensitively, without surrounding whitespace. */
    public String dataText(String name) throws RefusedEvent {
        return dataField(name).filter(JsonNode::isTextual).map(v -> v.asText().strip()).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new RefusedEvent(type + " event " + id + " has no data." + name));
    }

    /**
     * A whole-number field of {@code data} (Key Vault's NBF and EXP are Unix seconds), read case-insensitively:
     * a JSON number, or a string of digits as the CloudEvents form of some sources carries it.
     */
    public long dataSeconds(String name) throws RefusedEvent {
        Optional<JsonNode> field = dataField(name);
        if (field.isPresent() && field.get().isIntegralNumber() && field.get().canConvertToLong()) {
            return field.get().asLong();
        }
        if (field.isPresent() && field.get().isTextual() && WHOLE_NUMBER.matcher(field.get().asText().strip()).matches()) {
            return Long.parseLong(field.get().asText().strip());
        }
        throw new RefusedEvent(type + " event " + id + " has no whole-number data." + name);
    }

    private static final java.util.regex.Pattern WHOLE_NUMBER = java.util.regex.Pattern.compile("-?[0-9]{1,18}");
}
