package dev.relaylink.aws.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.event.EventOrigin;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.spec.LinkSpec;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields every EventBridge event has ({@code id}, {@code source}, {@code detail-type},
 * {@code account}, {@code region}, {@code detail}), checked against the link before anything runs
 * (the account and region by the core's {@link EventOrigin}, as on every other event of both clouds).
 */
record EventBridgeEnvelope(String id, String source, String detailType, String account, String region, JsonNode detail) {

    /** CloudTrail management events as EventBridge delivers them. */
    static final String CLOUDTRAIL = "AWS API Call via CloudTrail";
    static final String SCHEDULED = "Scheduled Event";

    /**
     * @param accepted the sources this handler takes, each with its known detail-types
     */
    static EventBridgeEnvelope check(JsonNode event, LinkSpec spec, Map<String, Set<String>> accepted) throws RefusedEvent {
        String id = text(event, "id").orElseThrow(() -> new RefusedEvent(LinkHandler.UNKNOWN_ID, "not an EventBridge event: it has no id"));
        for (String field : new String[] {"source", "detail-type", "account", "region"}) {
            if (text(event, field).isEmpty()) {
                throw new RefusedEvent(id, "not an EventBridge event: it has no " + field);
            }
        }
        EventBridgeEnvelope envelope = new EventBridgeEnvelope(id, event.get("source").asText(), event.get("detail-type").asText(),
                event.get("account").asText(), event.get("region").asText(), event.get("detail"));
        EventOrigin.requireAws(id, envelope.account(), envelope.region(), spec);
        Set<String> detailTypes = accepted.get(envelope.source());
        if (detailTypes == null) {
            throw new RefusedEvent(id, "source " + envelope.source() + " is not handled by this function (expects " + accepted.keySet() + ")");
        }
        if (!detailTypes.contains(envelope.detailType())) {
            throw new RefusedEvent(id, "detail-type '" + envelope.detailType() + "' from " + envelope.source()
                    + " is not handled by this function (expects " + detailTypes + ")");
        }
        if (envelope.detail() == null || !envelope.detail().isObject()) {
            throw new RefusedEvent(id, "the event has no detail object");
        }
        return envelope;
    }

    /** For CloudTrail events: the API call's name, required to be one of {@code calls}. */
    String cloudTrailCall(String eventSource, Set<String> calls) throws RefusedEvent {
        String source = text(detail, "eventSource").orElse("");
        String name = text(detail, "eventName").orElse("");
        if (!source.equals(eventSource)) {
            throw new RefusedEvent(id, "CloudTrail eventSource '" + source + "' is not " + eventSource);
        }
        if (!calls.contains(name)) {
            throw new RefusedEvent(id, "CloudTrail call '" + name + "' is not one this function repairs after");
        }
        return name;
    }

    /** For CloudTrail events: the text of a request parameter, if the request has it. */
    Optional<String> requestParameter(String field) {
        return text(detail.path("requestParameters"), field);
    }

    /** For CloudTrail events: every text anywhere in the request parameters that matches {@code pattern} (ids in EC2's nested request shapes). */
    Set<String> requestValues(java.util.regex.Pattern pattern) {
        Set<String> found = new java.util.TreeSet<>();
        collect(detail.path("requestParameters"), pattern, found);
        return found;
    }

    private static void collect(JsonNode node, java.util.regex.Pattern pattern, Set<String> found) {
        if (node.isTextual() && pattern.matcher(node.asText()).matches()) {
            found.add(node.asText());
        }
        node.forEach(child -> collect(child, pattern, found));
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }
}
