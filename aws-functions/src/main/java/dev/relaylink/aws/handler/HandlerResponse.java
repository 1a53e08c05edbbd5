package dev.relaylink.aws.handler;

import dev.relaylink.audit.AuditRecord;
import java.util.List;

/**
 * What a handler returns (and Lambda logs with the invocation): the outcome for the event and, when
 * it ran, each action taken. {@code result} is APPLIED, NO_CHANGE, DUPLICATE, REJECTED, or FAILED (a
 * configuration failure stopped it: docs/aws.md, "Failures"); {@code reason} says why an event was
 * refused or failed.
 */
public record HandlerResponse(String handler, String eventId, String result, String reason, List<Audited> actions) {

    /** One audit record of the invocation, without its timestamp. */
    public record Audited(String action, String target, String outcome, String reason) {
        static Audited of(AuditRecord record) {
            return new Audited(record.action(), record.target(), record.outcome().name(), record.reason());
        }
    }

    public static final String REJECTED = "REJECTED";
    public static final String FAILED = "FAILED";
}
