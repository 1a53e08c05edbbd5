package dev.relaylink.azure.function;

import com.microsoft.azure.functions.ExecutionContext;

/** What every function does with an event it refuses: one audit record, one warning, and a normal return (no retry). */
final class Invocations {
    private Invocations() {
    }

    static void rejected(AzureLink link, ExecutionContext context, String function, RejectedEvent rejection) {
        // The event id may be what was malformed; the invocation id still finds the line.
        rejected(link, context, function, "invocation:" + context.getInvocationId(), rejection.getMessage());
    }

    static void rejected(AzureLink link, ExecutionContext context, String function, String eventId, String reason) {
        link.reject(eventId, function, reason);
        context.getLogger().warning(() -> function + " refused event " + eventId + ": " + reason);
    }
}
