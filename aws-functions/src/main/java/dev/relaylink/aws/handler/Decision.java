package dev.relaylink.aws.handler;

import dev.relaylink.aws.AwsLink;
import dev.relaylink.link.Reconciler;
import dev.relaylink.plan.Concern;
import java.util.Set;
import java.util.function.Function;

/** What a handler decided after checking an event: refuse it (before any AWS call) or run one use case. */
sealed interface Decision {

    record Reject(String eventId, String reason) implements Decision {
    }

    record Run(String eventId, Function<AwsLink, Reconciler.Result> useCase, boolean reportExpiry) implements Decision {
    }

    static Decision reject(String eventId, String reason) {
        return new Reject(eventId, reason);
    }

    /** Observe, plan and apply the given concerns, once for this event id. */
    static Decision reconcile(String eventId, Set<Concern> concerns) {
        return new Run(eventId, link -> link.reconciler().handle(eventId, concerns), false);
    }

    /** As {@link #reconcile}, then report days to expiry of the certificates (the daily runs). */
    static Decision reconcileAndReport(String eventId, Set<Concern> concerns) {
        return new Run(eventId, link -> link.reconciler().handle(eventId, concerns), true);
    }
}
