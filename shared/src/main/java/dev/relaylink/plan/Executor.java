package dev.relaylink.plan;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.failure.ConfigurationFailure;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a plan in order through the ports, one audit record per action. It stops at the first
 * failure: later actions are recorded as skipped and left for the retry, which re-plans from what
 * is then observed (so finished steps are not repeated).
 */
public final class Executor {

    /** Applies one kind of action through a port. */
    @FunctionalInterface
    public interface Step<A extends Action> {
        void apply(A action) throws Exception;
    }

    /** What a run did: how many actions were applied, and the failure that stopped it, if any. */
    public record Result(int applied, List<Action> remaining, Exception failure) {
        public boolean succeeded() {
            return failure == null;
        }
    }

    private final Map<Class<? extends Action>, Step<? extends Action>> steps;
    private final AuditLog audit;
    private final Clock clock;

    private Executor(Map<Class<? extends Action>, Step<? extends Action>> steps, AuditLog audit, Clock clock) {
        this.steps = Map.copyOf(steps);
        this.audit = audit;
        this.clock = clock;
    }

    public static Builder builder(AuditLog audit, Clock clock) {
        return new Builder(audit, clock);
    }

    public Result execute(String eventId, Plan plan) {
        List<Action> actions = plan.actions();
        for (int i = 0; i < actions.size(); i++) {
            Action action = actions.get(i);
            try {
                apply(action);
                record(eventId, action, Outcome.APPLIED, action.reason());
            } catch (Exception e) {
                record(eventId, action, Outcome.FAILED, action.reason() + "; failed: " + describe(e));
                List<Action> remaining = actions.subList(i + 1, actions.size());
                remaining.forEach(a -> record(eventId, a, Outcome.SKIPPED, "an earlier action failed; left for the retry"));
                return new Result(i, List.copyOf(actions.subList(i, actions.size())), e);
            }
        }
        return new Result(actions.size(), List.of(), null);
    }

    @SuppressWarnings("unchecked")
    private <A extends Action> void apply(A action) throws Exception {
        Step<A> step = (Step<A>) steps.get(action.getClass());
        if (step == null) {
            throw new ConfigurationFailure("no port is wired for " + action.getClass().getSimpleName() + " on this side");
        }
        step.apply(action);
    }

    private void record(String eventId, Action action, Outcome outcome, String reason) {
        audit.record(new AuditRecord(clock.instant(), eventId, action.getClass().getSimpleName(), action.target(), outcome, reason));
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    public static final class Builder {
        private final Map<Class<? extends Action>, Step<? extends Action>> steps = new HashMap<>();
        private final AuditLog audit;
        private final Clock clock;

        private Builder(AuditLog audit, Clock clock) {
            this.audit = audit;
            this.clock = clock;
        }

        public <A extends Action> Builder on(Class<A> type, Step<A> step) {
            steps.put(type, step);
            return this;
        }

        public Executor build() {
            return new Executor(steps, audit, clock);
        }
    }
}
