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

    private final Supplier<AzureLink> link;

    public ReconcileFunction() {
        this(AzureLink::get);
    }

    /** With a link built elsewhere: tests and the local run. */
    public ReconcileFunction(Supplier<AzureLink> link) {
        this.link = link;
    }

    @FunctionName(NAME)
    @ExponentialBackoffRetry(maxRetryCount = 3, minimumInterval = "00:00:30", maximumInterval = "00:05:00")
    public void run(@TimerTrigger(name = "timer", schedule = SCHEDULE) String timer, ExecutionContext context) {
        AzureLink link = this.link.get();
        // Each tick is its own event; a retry of a failed tick runs under a new invocation id and reconciles again.
        var result = link.reconciler().handle("reconcile:" + context.getInvocationId(), Concern.AZURE);
        var now = link.clock().instant();
        // A read per certificate: the function's roles are scoped to each certificate, none lists the vault.
        link.ports().clientCertificates().currentExpiries().forEach((workload, notAfter) ->
                link.telemetry().daysToExpiry(workload, notAfter, now));
        reportCaGenerations(link, "client-ca", link.ports().clientCaCertificates().certificates(), now);
        reportCaGenerations(link, "server-ca", link.ports().serverCaCertificates().certificates(), now);
        context.getLogger().info(() -> NAME + " " + context.getInvocationId() + ": " + result);
    }

    /** Days to expiry of every CA generation this side holds or mirrors, and how deep the issuing one is into its renewal window. */
    private static void reportCaGenerations(AzureLink link, String ca, java.util.List<java.security.cert.X509Certificate> published,
                                            java.time.Instant now) {
        for (var generation : dev.relaylink.pki.CaGenerations.of(published)) {
            link.telemetry().caDaysToExpiry(ca, generation.state().name().toLowerCase(java.util.Locale.ROOT), generation.notAfter(), now);
        }
        dev.relaylink.pki.CaGenerations.issuing(published).ifPresent(g ->
                link.telemetry().caDaysIntoRenewal(ca, link.spec().certificates().ca().renewAt(g.certificate()), now));
    }
}
