package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.event.EventOrigin;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.plan.Concern;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Approval gate A: an SNS connection notification from the endpoint service (or the safety-net
 * schedule) makes relay-link accept the pending connections of allowed principals and reject the
 * rest, after making sure the service is locked down. The notification only triggers the work: who
 * owns an endpoint is read from EC2, never taken from the message.
 */
public final class EndpointConnectionHandler extends LinkHandler {
    static final Set<Concern> CONCERNS = EnumSet.of(Concern.ENDPOINT_SERVICE, Concern.ENDPOINT_CONNECTIONS);
    static final Set<String> CONNECTION_EVENTS = Set.of("Connect", "Accept", "Reject", "Delete");
    private static final Pattern SERVICE_ID = Pattern.compile("vpce-svc-[0-9a-f]{8,17}");
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:([a-z0-9-]+):(\\d{12}):[A-Za-z0-9_-]{1,256}");

    public EndpointConnectionHandler() {
        super(CONCERNS);
    }

    public EndpointConnectionHandler(AwsFunctions link) {
        super(link, CONCERNS);
    }

    @Override
    Decision decide(AwsFunctions link, JsonNode event, Context context) throws RefusedEvent {
        if (event.has("Records")) {
            return notification(link, event);
        }
        EventBridgeEnvelope envelope = EventBridgeEnvelope.check(event, link.spec(),
                Map.of("aws.events", Set.of(EventBridgeEnvelope.SCHEDULED)));
        return Decision.reconcile(envelope.id(), CONCERNS);
    }

    private static Decision notification(AwsFunctions link, JsonNode event) throws RefusedEvent {
        JsonNode records = event.get("Records");
        if (!records.isArray() || records.size() != 1) {
            throw new RefusedEvent(LinkHandler.UNKNOWN_ID, "an SNS event carries exactly one record");
        }
        JsonNode record = records.get(0);
        JsonNode sns = record.get("Sns");
        if (!"aws:sns".equals(record.path("EventSource").asText()) || sns == null || !sns.isObject()) {
            throw new RefusedEvent(LinkHandler.UNKNOWN_ID, "not an SNS notification record");
        }
        String id = EventBridgeEnvelope.text(sns, "MessageId")
                .orElseThrow(() -> new RefusedEvent(LinkHandler.UNKNOWN_ID, "the SNS notification has no MessageId"));
        var topic = TOPIC_ARN.matcher(sns.path("TopicArn").asText());
        if (!topic.matches()) {
            throw new RefusedEvent(id, "the SNS notification has no valid TopicArn");
        }
        EventOrigin.requireAws(id, topic.group(2), topic.group(1), link.spec());
        JsonNode message;
        try {
            message = JsonLines.JSON.readTree(sns.path("Message").asText(""));
        } catch (JsonProcessingException e) {
            throw new RefusedEvent(id, "the notification message is not JSON: " + e.getOriginalMessage());
        }
        if (message == null || !message.isObject()) {
            throw new RefusedEvent(id, "the notification message is not a JSON object");
        }
        String connectionEvent = message.path("connectionEvent").asText("");
        if (!CONNECTION_EVENTS.contains(connectionEvent)) {
            throw new RefusedEvent(id, "connectionEvent '" + connectionEvent + "' is not one of " + CONNECTION_EVENTS);
        }
        String serviceId = message.path("serviceId").asText("");
        if (!SERVICE_ID.matcher(serviceId).matches()) {
            throw new RefusedEvent(id, "the notification names no endpoint service id");
        }
        // Known ids come from RELAY_ENDPOINT_SERVICE_ID or an earlier look. A container that has neither
        // looks once (a read): the only AWS call made before an event may be refused.
        Set<String> known = link.endpointServiceIds();
        if (!known.isEmpty() && !known.contains(serviceId)) {
            throw new RefusedEvent(id, "the notification is for endpoint service " + serviceId + ", not the link's " + known);
        }
        return Decision.reconcile("sns:" + id, CONCERNS);
    }
}
