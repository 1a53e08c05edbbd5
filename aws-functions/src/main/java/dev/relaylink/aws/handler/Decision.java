package dev.relaylink.aws.handler;

import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.plan.Concern;
import java.util.Set;
import java.util.function.Function;

/**
 * What a handler decided after checking an event: run one use case for this event id (an event it
 * refuses never gets here: the check throws {@link dev.relaylink.event.RefusedEvent}).
 *
 * @param reportExpiry   the daily runs also report days to expiry of the certificates
 * @param callerAwaitsStep the caller reads a normal return as "this step is done" (Secrets Manager's
 *                       rotation steps): a configuration failure is audited and still thrown, so the
 *                       rotation stops there instead of going on to the next step
 */
record Decision(String eventId, Function<AwsFunctions, Reconciler.Handled> useCase, boolean reportExpiry, boolean callerAwaitsStep) {

    /** Observe, plan and apply the given concerns, once for this event id. */
    static Decision reconcile(String eventId, Set<Concern> concerns) {
        return new Decision(eventId, link -> link.reconciler().handle(eventId, concerns), false, false);
    }

    /** As {@link #reconcile}, then report days to expiry of the certificates (the daily runs). */
    static Decision reconcileAndReport(String eventId, Set<Concern> concerns) {
        return new Decision(eventId, link -> link.reconciler().handle(eventId, concerns), true, false);
    }

    /** One step of a protocol whose caller waits for each step's answer. */
    static Decision step(String eventId, Function<AwsFunctions, Reconciler.Handled> useCase) {
        return new Decision(eventId, useCase, false, true);
    }
}
