package dev.relaylink.azure.function;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.relaylink.plan.Concern;
import java.util.function.Supplier;

/**
 * The safety net: every 15 minutes, the whole Azure half (client CA and certificates, AKS secrets,
 * private endpoint connections, private DNS) is compared with the spec and repaired, so a lost or
 * dead-lettered event is made good within one period. A failed run is retried a few times with
 * backoff before the next tick.
 */
public final class ReconcileFunction {
    public static final String NAME = "Reconcile";
    /** NCRONTAB with seconds: at second 0 of every 15th minute. */
    public static final String SCHEDULE = "0 */15 * * * *";

    private final Supplier<AzureFunctions> link;

    public ReconcileFunction() {
        this(AzureFunctions::get);
    }

    /** With a link built elsewhere: tests and the local run. */
    public ReconcileFunction(Supplier<AzureFunctions> link) {
        this.link = link;
    }

    @FunctionName(NAME)
    @ExponentialBackoffRetry(maxRetryCount = 3, minimumInterval = "00:00:30", maximumInterval = "00:05:00")
    public void run(@TimerTrigger(name = "timer", schedule = SCHEDULE) String timer, ExecutionContext context) {
        AzureFunctions link = this.link.get();
        // Each tick is its own event; a retry of a failed tick runs under a new invocation id and reconciles again.
        var outcome = Invocations.handle(link, context, NAME, () -> "reconcile:" + context.getInvocationId(), id -> id, id -> {
            var result = link.reconciler().handle(id, Concern.AZURE);
            link.reportExpiry();
            return result;
        });
        context.getLogger().info(() -> NAME + " " + context.getInvocationId() + ": " + outcome);
    }
}
