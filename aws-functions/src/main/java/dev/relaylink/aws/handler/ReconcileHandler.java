package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.plan.Concern;
import java.util.Map;
import java.util.Set;

/** The scheduled full reconcile of the AWS side: everything observed, planned and applied; expiry reported. */
public final class ReconcileHandler extends LinkHandler {

    public ReconcileHandler() {
        super(Concern.AWS);
    }

    public ReconcileHandler(AwsFunctions link) {
        super(link, Concern.AWS);
    }

    @Override
    Decision decide(AwsFunctions link, JsonNode event, Context context) throws RefusedEvent {
        EventBridgeEnvelope envelope = EventBridgeEnvelope.check(event, link.spec(),
                Map.of("aws.events", Set.of(EventBridgeEnvelope.SCHEDULED)));
        return Decision.reconcileAndReport(envelope.id(), Concern.AWS);
    }
}
