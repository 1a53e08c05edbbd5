package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.AwsLink;
import dev.relaylink.aws.handler.EventBridgeEnvelope.Refused;
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

    public EndpointConnectionHandler(AwsLink link) {
        super(link, CONCERNS);
    }

    @Override
    Decision decide(AwsLink link, JsonNode event, Context context) throws Refused {
        if (event.has("Records")) {
            return notification(link, event);
        }
        EventBridgeEnvelope envelope = EventBridgeEnvelope.check(event, link.spec(),
                Map.of("aws.events", Set.of(EventBridgeEnvelope.SCHEDULED)));
        return Decision.reconcile(envelope.id(), CONCERNS);
    }

    private static Decision notification(AwsLink link, JsonNode event) throws Refused {
        JsonNode records = event.get("Records");
        if (!records.isArray() || records.size() != 1) {
            throw new Refused(LinkHandler.UNKNOWN_ID, "an SNS event carries exactly one record");
        }
        JsonNode record = records.get(0);
        JsonNode sns = record.get("Sns");
        if (!"aws:sns".equals(record.path("EventSource").asText()) || sns == null || !sns.isObject()) {
            throw new Refused(LinkHandler.UNKNOWN_ID, "not an SNS notification record");
        }
        String id = EventBridgeEnvelope.text(sns, "MessageId")
                .orElseThrow(() -> new Refused(LinkHandler.UNKNOWN_ID, "the SNS notification has no MessageId"));
        var topic = TOPIC_ARN.matcher(sns.path("TopicArn").asText());
        if (!topic.matches()) {
            throw new Refused(id, "the SNS notification has no valid TopicArn");
        }
        if (!topic.group(2).equals(link.spec().aws().accountId())) {
            throw new Refused(id, "account " + topic.group(2) + " is not the link's account " + link.spec().aws().accountId());
        }
        if (!topic.group(1).equals(link.spec().aws().region())) {
            throw new Refused(id, "region " + topic.group(1) + " is not the link's region " + link.spec().aws().region());
        }
        JsonNode message;
        try {
            message = JsonLines.JSON.readTree(sns.path("Message").asText(""));
        } catch (JsonProcessingException e) {
            throw new Refused(id, "the notification message is not JSON: " + e.getOriginalMessage());
        }
        if (message == null || !message.isObject()) {
            throw new Refused(id, "the notification message is not a JSON object");
        }
        String connectionEvent = message.path("connectionEvent").asText("");
        if (!CONNECTION_EVENTS.contains(connectionEvent)) {
            throw new Refused(id, "connectionEvent '" + connectionEvent + "' is not one of " + CONNECTION_EVENTS);
        }
        String serviceId = message.path("serviceId").asText("");
        if (!SERVICE_ID.matcher(serviceId).matches()) {
            throw new Refused(id, "the notification names no endpoint service id");
        }
        // Known ids come from RELAY_ENDPOINT_SERVICE_ID or an earlier look. A container that has neither
        // looks once (a read): the only AWS call made before an event may be refused.
        Set<String> known = link.knownEndpointServiceIds();
        if (known.isEmpty()) {
            link.ports().endpointService().describe(link.spec().name(), link.spec().aws().nlb().loadBalancerArn());
            known = link.knownEndpointServiceIds();
        }
        if (!known.isEmpty() && !known.contains(serviceId)) {
            throw new Refused(id, "the notification is for endpoint service " + serviceId + ", not the link's " + known);
        }
        return Decision.reconcile("sns:" + id, CONCERNS);
    }
}
