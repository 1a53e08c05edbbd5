package dev.relaylink.azure.function;

import com.azure.core.exception.HttpResponseException;
import com.microsoft.azure.functions.ExecutionContext;
import dev.relaylink.event.EventHandling;
import dev.relaylink.failure.ConfigurationFailure;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Azure side of the core's handler skeleton ({@link EventHandling}): every function parses and
 * checks its event, calls one use case, and ends here. An event it refuses gets one audit record, one
 * warning and a normal return (no retry). A configuration failure (docs/azure.md) gets one FAILED audit
 * record, the configuration-failures metric, an error line and a normal return: a redelivery or the
 * function's retry policy cannot help, the Reconcile timer repairs once it is fixed. Anything else is
 * thrown, so Event Grid, the retry policy or Event Hubs' checkpoint brings the event back.
 */
final class Invocations {
    private Invocations() {
    }

    static <E, R> EventHandling.Outcome<R> handle(AzureFunctions link, ExecutionContext context, String function,
                                                  EventHandling.Check<E> check, Function<E, String> eventId, EventHandling.UseCase<E, R> useCase) {
        // An event refused before its id is trusted is named by the invocation id, which still finds the line.
        return EventHandling.handle("invocation:" + context.getInvocationId(), check, eventId, useCase, new EventHandling.Sink() {
            @Override
            public void refused(String id, String reason) {
                link.reject(id, function, reason);
                context.getLogger().warning(() -> function + " refused event " + id + ": " + reason);
            }

            @Override
            public void misconfigured(String id, ConfigurationFailure failure) {
                link.telemetry().record(EventHandling.misconfiguredRecord(link.clock().instant(), id, function, link.spec().name(), failure));
                link.telemetry().configurationFailure(function);
                context.getLogger().severe(() -> function + " stopped on a configuration failure for event " + id + " (not retried): "
                        + failure.getMessage());
            }

            @Override
            public Optional<ConfigurationFailure> translate(Throwable failure) {
                return configuration(failure);
            }
        });
    }

    /**
     * Which Azure errors no retry can get past: 403, a role assignment or access policy that does not
     * grant the call (ARM's AuthorizationFailed, Key Vault's Forbidden). A 401 is not among them: a
     * managed identity's token can fail for a moment and pass on the retry.
     */
    static Optional<ConfigurationFailure> configuration(Throwable failure) {
        if (failure instanceof HttpResponseException http && http.getResponse() != null && http.getResponse().getStatusCode() == 403) {
            return Optional.of(new ConfigurationFailure("access denied: " + firstLine(http.getMessage()), http));
        }
        return Optional.empty();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
