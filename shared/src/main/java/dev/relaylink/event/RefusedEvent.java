package dev.relaylink.event;

import java.util.Optional;

/**
 * An event relay-link refuses on either cloud: malformed, oversized, of a type or source the handler
 * does not take, or about a resource, account or subscription the link spec does not name. The
 * message is the reason, given back and audited REJECTED; nothing is changed and nothing is retried,
 * because a redelivery of the same event would be refused again. Checked, so every check says it refuses.
 */
public final class RefusedEvent extends Exception {
    private final String eventId;

    /** Refused where the event's own id is known (and trusted enough to name it in the audit). */
    public RefusedEvent(String eventId, String reason) {
        super(reason, null, false, false);
        this.eventId = eventId;
    }

    /** Refused before the event's id could be read or trusted: the handler names it (e.g. by its invocation). */
    public RefusedEvent(String reason) {
        this(null, reason);
    }

    public Optional<String> eventId() {
        return Optional.ofNullable(eventId);
    }

    public String reason() {
        return getMessage();
    }
}
