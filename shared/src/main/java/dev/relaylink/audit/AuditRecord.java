package dev.relaylink.audit;

import java.time.Instant;

/** One line of the audit log: what relay-link did (or refused) for which event, and why. */
public record AuditRecord(Instant at, String eventId, String action, String target, Outcome outcome, String reason) {

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
