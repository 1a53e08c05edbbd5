package dev.relaylink.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.relaylink.plan.Reason;
import java.time.Instant;

/**
 * One line of the audit log: what relay-link did (or refused) for which event, and why: in words
 * ({@code reason}) and as a code ({@code code}, the {@link Reason} of the action, or of a change made
 * outside the planner). Records that are not about a change (a duplicate, a refusal, no change) carry
 * no code, and their JSON line has no {@code code} field.
 */
public record AuditRecord(Instant at, String eventId, String action, String target, Outcome outcome, String reason,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Reason code) {

    /** A record without a code: not about a change the planner decided. */
    public AuditRecord(Instant at, String eventId, String action, String target, Outcome outcome, String reason) {
        this(at, eventId, action, target, outcome, reason, null);
    }

    /** Whether this record is a change that was made and counts as a certificate rotation. */
    public boolean appliedRotation() {
        return outcome == Outcome.APPLIED && code != null && code.isRotation();
    }

    public enum Outcome {
        /** The change was made. */
        APPLIED,
        /** The action ran and failed; the event is left for a retry. */
        FAILED,
        /** Not attempted because an earlier action of the same plan failed. */
        SKIPPED,
        /** The event id was handled before: nothing was done. */
        DUPLICATE,
        /** The event was refused (malformed, foreign, out of scope): nothing was done. */
        REJECTED,
        /** The event was checked and the link already matched the spec. */
        NO_CHANGE
    }
}
