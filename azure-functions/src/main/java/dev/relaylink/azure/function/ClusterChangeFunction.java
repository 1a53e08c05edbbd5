package dev.relaylink.azure.function;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import java.util.function.Supplier;

/**
 * Changes inside AKS: the cluster's diagnostic setting streams its audit log (kube-audit) to an Event
 * Hub; this function gets each batch, keeps the writes to the link's own objects (the workloads'
 * secrets and NetworkPolicies) and reconciles the AKS secrets. What is wrong is read from AKS and Key
 * Vault, never taken from the log. Event Hubs does not redeliver a batch a function failed on, so a
 * failed run is retried here with backoff; the Reconcile timer covers a batch that fails them all.
 */
public final class ClusterChangeFunction {
    public static final String NAME = "ClusterChange";

    private final Supplier<AzureFunctions> link;

    public ClusterChangeFunction() {
        this(AzureFunctions::get);
    }

    /** With a link built elsewhere: tests and the local run. */
    public ClusterChangeFunction(Supplier<AzureFunctions> link) {
        this.link = link;
    }

    @FunctionName(NAME)
    @ExponentialBackoffRetry(maxRetryCount = 5, minimumInterval = "00:00:10", maximumInterval = "00:05:00")
    public void run(@EventHubTrigger(name = "events", eventHubName = "%AKS_AUDIT_EVENT_HUB%", connection = "AksAuditEventHub",
                            cardinality = Cardinality.MANY, dataType = "string") String[] events, ExecutionContext context) {
        AzureFunctions link = this.link.get();
        Invocations.handle(link, context, NAME, () -> AksAuditChanges.of(events, link.spec()), AksAuditChanges::eventId,
                changes -> link.reconciler().handle(changes.eventId(), changes.concerns()));
    }
}
