package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.AwsLink;
import dev.relaylink.link.Reconciler;
import dev.relaylink.plan.Concern;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;

/**
 * What every relay-link Lambda handler does around its one use case: read the raw event (at most
 * 256 KiB, the largest event EventBridge or SNS delivers), parse it, let the handler check it
 * against the link, then either refuse it (audited, counted, nothing else: no change, and no AWS call but a container's first endpoint service look-up)
 * or run the use case, and answer with a small JSON {@link HandlerResult}. A failing use case throws,
 * so Lambda retries the event and finally sends it to the dead-letter queue.
 */
abstract class LinkHandler implements RequestStreamHandler {
    static final int MAX_EVENT_BYTES = 256 * 1024;
    static final String UNKNOWN_ID = "unknown";
    private static final int MAX_REASON_CHARS = 300;

    private final AwsLink link;

    /**
     * Lambda's constructor, run in the container's init: the container's link, built once from the
     * environment, with the clients of {@code concerns} (what this handler observes and changes) built now.
     */
    LinkHandler(Set<Concern> concerns) {
        this(AwsLink.shared(), concerns);
    }

    LinkHandler(AwsLink link, Set<Concern> concerns) {
        this.link = link.prepare(concerns);
    }

    /**
     * Checks {@code event} against the link and says what to do with it. It changes nothing; the one
     * read it may make is a container's first look-up of its endpoint service id (none when
     * RELAY_ENDPOINT_SERVICE_ID is set).
     */
    abstract Decision decide(AwsLink link, JsonNode event, Context context) throws EventBridgeEnvelope.Refused;

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        link.audit().begin();
        HandlerResult result = handle(link, input, context);
        JsonLines.JSON.writeValue(output, result);
    }

    private HandlerResult handle(AwsLink link, InputStream input, Context context) throws IOException {
        byte[] raw = input.readNBytes(MAX_EVENT_BYTES + 1);
        if (raw.length > MAX_EVENT_BYTES) {
            return refuse(link, UNKNOWN_ID, "the event is larger than " + MAX_EVENT_BYTES / 1024 + " KiB");
        }
        JsonNode event;
        try {
            event = JsonLines.JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            return refuse(link, UNKNOWN_ID, "malformed JSON: " + e.getOriginalMessage());
        }
        if (event == null || !event.isObject()) {
            return refuse(link, UNKNOWN_ID, "the event is not a JSON object");
        }
        Decision decision;
        try {
            decision = decide(link, event, context);
        } catch (EventBridgeEnvelope.Refused refused) {
            return refuse(link, refused.eventId, refused.getMessage());
        }
        return switch (decision) {
            case Decision.Reject reject -> refuse(link, reject.eventId(), reject.reason());
            case Decision.Run run -> run(link, run);
        };
    }

    private HandlerResult run(AwsLink link, Decision.Run run) {
        Reconciler.Result outcome = run.useCase().apply(link);
        if (run.reportExpiry()) {
            link.reportExpiry();
        }
        List<AuditRecord> records = link.audit().records();
        link.metrics().changes(records);
        return new HandlerResult(name(), run.eventId(), outcome.name(), null, records.stream().map(HandlerResult.Step::of).toList());
    }

    private HandlerResult refuse(AwsLink link, String eventId, String reason) {
        String shortReason = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "..." : reason;
        link.reconciler().reject(eventId, name(), shortReason);
        link.metrics().rejectedEvents(1);
        return new HandlerResult(name(), eventId, HandlerResult.REJECTED, shortReason,
                link.audit().records().stream().map(HandlerResult.Step::of).toList());
    }

    private String name() {
        return getClass().getSimpleName();
    }

    /** The request id Lambda gives each invocation (a fresh one for every retry), or a label in tests without one. */
    static String requestId(Context context) {
        return context == null || context.getAwsRequestId() == null ? java.util.UUID.randomUUID().toString() : context.getAwsRequestId();
    }
}
