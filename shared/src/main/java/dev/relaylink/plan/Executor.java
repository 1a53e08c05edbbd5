package dev.relaylink.plan;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import java.time.Clock;
import java.util.List;

/**
 * Applies a plan in order through the ports, one audit record per action. It stops at the first
 * failure: later actions are recorded as skipped and left for the retry, which re-plans from what
 * is then observed (so finished steps are not repeated).
 */
public final class Executor {

    /** Applies any action through the ports of the side that owns it (one exhaustive switch: the core's ActionSteps). */
    @FunctionalInterface
    public interface Steps {
        void apply(Action action) throws Exception;
    }

    /** What a run did: how many actions were applied, and the failure that stopped it, if any. */
    public record Progress(int applied, List<Action> remaining, Exception failure) {
        public boolean succeeded() {
            return failure == null;
        }
    }

    private final Steps steps;
    private final AuditLog audit;
    private final Clock clock;

    public Executor(Steps steps, AuditLog audit, Clock clock) {
        this.steps = steps;
        this.audit = audit;
        this.clock = clock;
    }

    public Progress execute(String eventId, Plan plan) {
        List<Action> actions = plan.actions();
        for (int i = 0; i < actions.size(); i++) {
            Action action = actions.get(i);
            try {
                steps.apply(action);
                record(eventId, action, Outcome.APPLIED, action.reason());
            } catch (Exception e) {
                record(eventId, action, Outcome.FAILED, action.reason() + "; failed: " + describe(e));
                List<Action> remaining = actions.subList(i + 1, actions.size());
                remaining.forEach(a -> record(eventId, a, Outcome.SKIPPED, "an earlier action failed; left for the retry"));
                return new Progress(i, List.copyOf(actions.subList(i, actions.size())), e);
            }
        }
        return new Progress(actions.size(), List.of(), null);
    }

    private void record(String eventId, Action action, Outcome outcome, String reason) {
        audit.record(new AuditRecord(clock.instant(), eventId, action.getClass().getSimpleName(), action.target(), outcome, reason, action.code()));
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
