package dev.relaylink.usecase;

import dev.relaylink.wiring.ActionSteps;
import dev.relaylink.wiring.PortObserver;
import dev.relaylink.wiring.Side;
import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.failure.RetryableFailure;
import dev.relaylink.plan.Concern;
import dev.relaylink.plan.Executor;
import dev.relaylink.plan.Plan;
import dev.relaylink.plan.Planner;
import dev.relaylink.port.IdempotencyStore;
import dev.relaylink.port.LinkLock;
import dev.relaylink.spec.LinkSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The one use case every handler calls: handle an event exactly once per id, under the link's lock.
 * A duplicate event id is a no-op with an audit record. A failure gives the claim back and throws,
 * so the platform retries the event and finally dead-letters it; whatever the executor finished
 * stays done and the retry re-plans from what it then observes.
 */
public final class Reconciler {
    /** How long a lease lives if its holder dies (longer than any handler's timeout). */
    public static final Duration LEASE = Duration.ofMinutes(5);

    /** How an event was handled: its plan applied, nothing to change, or a duplicate of one handled before. */
    public enum Handled { APPLIED, NO_CHANGE, DUPLICATE }

    /** Another run holds the link's lock for longer than this run waits: retry later. */
    public static final class LinkBusyException extends RetryableFailure {
        LinkBusyException(String link) {
            super("link " + link + " is busy with another run; the event will be retried");
        }
    }

    private final LinkSpec spec;
    private final Side side;
    private final PortObserver observer;
    private final Executor executor;
    private final IdempotencyStore idempotency;
    private final LinkLock lock;
    private final AuditLog audit;
    private final Clock clock;
    private final int lockAttempts;
    private final Duration lockInterval;

    private Reconciler(LinkSpec spec, Side side, IdempotencyStore idempotency, LinkLock lock, AuditLog audit, Clock clock,
                       int lockAttempts, Duration lockInterval) {
        this.spec = spec;
        this.side = side;
        this.observer = new PortObserver(spec, side);
        this.executor = new Executor(new ActionSteps(spec, side, clock), audit, clock);
        this.idempotency = idempotency;
        this.lock = lock;
        this.audit = audit;
        this.clock = clock;
        this.lockAttempts = lockAttempts;
        this.lockInterval = lockInterval;
    }

    /**
     * The reconciler of one side: it observes and applies through the side's ports, claims events in
     * {@code idempotency}, and waits for the link's lock at most {@code lockAttempts} times,
     * {@code lockInterval} apart.
     */
    public static Reconciler of(LinkSpec spec, Side side, IdempotencyStore idempotency, LinkLock lock, AuditLog audit, Clock clock,
                                int lockAttempts, Duration lockInterval) {
        return new Reconciler(spec, side, idempotency, lock, audit, clock, lockAttempts, lockInterval);
    }

    /** Observe the concerns, plan, apply: once per event id. */
    public Handled handle(String eventId, Set<Concern> concerns) {
        Set<Concern> notHere = side.missing(concerns);
        if (!notHere.isEmpty()) {
            throw new dev.relaylink.failure.ConfigurationFailure("this side does not run " + notHere + ": a handler asked for another side's concerns");
        }
        return once(eventId, "Reconcile " + concerns, () -> {
            Plan plan = Planner.plan(spec, observer.observe(concerns), clock.instant(), concerns);
            Executor.Progress result = executor.execute(eventId, plan);
            if (!result.succeeded()) {
                throw new IllegalStateException("applied " + result.applied() + " of " + plan.actions().size()
                        + " actions; the rest is left for the retry", result.failure());
            }
            return !plan.isEmpty();
        });
    }

    /**
     * Another run holds the event's claim and may yet die: the event is not handled, so this delivery
     * fails and the platform brings it back; after the claim expires, that retry takes it over.
     */
    public static final class EventInProgressException extends RetryableFailure {
        EventInProgressException(String eventId) {
            super("event " + eventId + " is being handled by another run; the platform retries it");
        }
    }

    /** Runs {@code work} once per event id under the link's lock; {@code work} says whether it changed anything. */
    public Handled once(String eventId, String what, Work work) {
        switch (idempotency.claim(eventId)) {
            case HANDLED -> {
                record(eventId, what, Outcome.DUPLICATE, "event id was handled before: nothing done");
                return Handled.DUPLICATE;
            }
            case IN_PROGRESS -> {
                record(eventId, what, Outcome.FAILED, "another run holds this event's claim until its function timeout:"
                        + " nothing done, left for the platform's retry");
                throw new EventInProgressException(eventId);
            }
            case CLAIMED -> { }
        }
        try (LinkLock.Lease lease = acquire()) {
            boolean changed = work.run();
            idempotency.complete(eventId);
            if (!changed) {
                record(eventId, what, Outcome.NO_CHANGE, "the link already matches the spec");
            }
            return changed ? Handled.APPLIED : Handled.NO_CHANGE;
        } catch (RuntimeException e) {
            idempotency.release(eventId);
            throw e;
        }
    }

    /** Records that an event was refused before any work: nothing observed, nothing changed. */
    public void reject(String eventId, String what, String reason) {
        record(eventId, what, Outcome.REJECTED, reason);
    }

    @FunctionalInterface
    public interface Work {
        boolean run();
    }

    private LinkLock.Lease acquire() {
        for (int attempt = 1; attempt <= lockAttempts; attempt++) {
            Optional<LinkLock.Lease> lease = lock.tryAcquire(spec.name(), LEASE);
            if (lease.isPresent()) {
                return lease.get();
            }
            if (attempt < lockAttempts) {
                try {
                    Thread.sleep(lockInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new LinkBusyException(spec.name());
    }

    private void record(String eventId, String what, Outcome outcome, String reason) {
        audit.record(new AuditRecord(clock.instant(), eventId, what, spec.name(), outcome, reason));
    }
}
