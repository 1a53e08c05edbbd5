package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.event.EventHandling;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.failure.ConfigurationFailure;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.plan.Concern;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What every relay-link Lambda handler does around its one use case, in the core's skeleton
 * ({@link EventHandling}): read the raw event (at most 256 KiB, the largest event EventBridge or SNS
 * delivers), parse it, let the handler check it against the link, then either refuse it (audited,
 * counted, nothing else: no change, and no AWS call but a container's first endpoint service look-up)
 * or run the use case, and answer with a small JSON {@link HandlerResponse}. A retryable failure throws,
 * so Lambda retries the event and finally sends it to the dead-letter queue; a configuration failure
 * (docs/aws.md) is audited FAILED, counted (the configuration-failures alarm) and answered, not thrown.
 */
abstract class LinkHandler implements RequestStreamHandler {
    static final int MAX_EVENT_BYTES = 256 * 1024;
    static final String UNKNOWN_ID = "unknown";
    private static final int MAX_REASON_CHARS = 300;

    private final AwsFunctions link;

    /**
     * Lambda's constructor, run in the container's init: the container's link, built once from the
     * environment, with the clients of {@code concerns} (what this handler observes and changes) built now.
     */
    LinkHandler(Set<Concern> concerns) {
        this(AwsFunctions.shared(), concerns);
    }

    LinkHandler(AwsFunctions link, Set<Concern> concerns) {
        this.link = link.prepare(concerns);
    }

    /**
     * Checks {@code event} against the link and says what to do with it. It changes nothing; the one
     * read it may make is a container's first look-up of its endpoint service id (none when
     * RELAY_ENDPOINT_SERVICE_ID is set).
     */
    abstract Decision decide(AwsFunctions link, JsonNode event, Context context) throws RefusedEvent;

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        link.audit().begin();
        HandlerResponse result = handle(link, input.readNBytes(MAX_EVENT_BYTES + 1), context);
        JsonLines.JSON.writeValue(output, result);
    }

    private HandlerResponse handle(AwsFunctions link, byte[] raw, Context context) {
        Outcomes outcomes = new Outcomes(link);
        EventHandling.Outcome<Reconciler.Handled> outcome = EventHandling.handle(UNKNOWN_ID,
                () -> outcomes.decided(decide(link, parse(raw), context)), Decision::eventId, decision -> run(link, decision), outcomes);
        List<HandlerResponse.Audited> steps = link.audit().records().stream().map(HandlerResponse.Audited::of).toList();
        return switch (outcome) {
            case EventHandling.Outcome.Ran<Reconciler.Handled> ran -> new HandlerResponse(name(), ran.eventId(), ran.result().name(), null, steps);
            case EventHandling.Outcome.Refused<Reconciler.Handled> refused -> new HandlerResponse(name(), refused.eventId(), HandlerResponse.REJECTED,
                    shorten(refused.reason()), steps);
            case EventHandling.Outcome.Misconfigured<Reconciler.Handled> failed -> {
                if (outcomes.decision != null && outcomes.decision.callerAwaitsStep()) {
                    throw failed.failure();
                }
                yield new HandlerResponse(name(), failed.eventId(), HandlerResponse.FAILED, shorten(failed.failure().getMessage()), steps);
            }
        };
    }

    private static JsonNode parse(byte[] raw) throws RefusedEvent {
        if (raw.length > MAX_EVENT_BYTES) {
            throw new RefusedEvent(UNKNOWN_ID, "the event is larger than " + MAX_EVENT_BYTES / 1024 + " KiB");
        }
        JsonNode event;
        try {
            event = JsonLines.JSON.readTree(raw);
        } catch (IOException e) {
            throw new RefusedEvent(UNKNOWN_ID, "malformed JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (event == null || !event.isObject()) {
            throw new RefusedEvent(UNKNOWN_ID, "the event is not a JSON object");
        }
        return event;
    }

    private Reconciler.Handled run(AwsFunctions link, Decision decision) {
        Reconciler.Handled outcome = decision.useCase().apply(link);
        if (decision.reportExpiry()) {
            link.reportExpiry();
        }
        List<AuditRecord> records = link.audit().records();
        link.metrics().changes(records);
        return outcome;
    }

    /** The AWS side of the skeleton's two non-throwing endings: audited and counted. */
    private final class Outcomes implements EventHandling.Sink {
        private final AwsFunctions link;
        private Decision decision;

        Outcomes(AwsFunctions link) {
            this.link = link;
        }

        Decision decided(Decision decision) {
            this.decision = decision;
            return decision;
        }

        @Override
        public void refused(String eventId, String reason) {
            link.reconciler().reject(eventId, name(), shorten(reason));
            link.metrics().rejectedEvents(1);
        }

        @Override
        public void misconfigured(String eventId, ConfigurationFailure failure) {
            link.audit().record(EventHandling.misconfiguredRecord(link.clock().instant(), eventId, name(), link.spec().name(), failure));
            link.metrics().configurationFailures(1);
        }

        @Override
        public Optional<ConfigurationFailure> translate(Throwable failure) {
            return AwsFailures.configuration(failure);
        }
    }

    private static String shorten(String reason) {
        return reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "..." : reason;
    }

    private String name() {
        return getClass().getSimpleName();
    }

    /** The request id Lambda gives each invocation (a fresh one for every retry), or a label in tests without one. */
    static String requestId(Context context) {
        return context == null || context.getAwsRequestId() == null ? java.util.UUID.randomUUID().toString() : context.getAwsRequestId();
    }
}
