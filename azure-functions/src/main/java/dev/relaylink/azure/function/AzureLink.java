package dev.relaylink.azure.function;

import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.link.ClientCertificateRotation;
import dev.relaylink.link.LinkPorts;
import dev.relaylink.link.LinkSteps;
import dev.relaylink.link.PortObserver;
import dev.relaylink.link.Reconciler;
import dev.relaylink.port.IdempotencyStore;
import dev.relaylink.port.LinkLock;
import dev.relaylink.spec.LinkSpec;
import java.time.Clock;
import java.time.Duration;

/**
 * The Azure half of one link, built once per function host process: the spec, the Azure ports
 * (Key Vault, ARM, AKS), and the use cases the functions call. Functions reach it through
 * {@link #get()}; tests build one on local fakes with the constructor.
 */
public final class AzureLink {
    /** A run that finds the link locked waits this long in all before the event is retried. */
    private static final int LOCK_ATTEMPTS = 5;
    private static final Duration LOCK_INTERVAL = Duration.ofSeconds(2);

    private final LinkSpec spec;
    private final LinkPorts ports;
    private final LinkTelemetry telemetry;
    private final Clock clock;
    private final ClientCertificateRotation clientRotation;
    private final Reconciler reconciler;

    public AzureLink(LinkSpec spec, LinkPorts ports, IdempotencyStore idempotency, LinkLock lock, JsonLines out, Clock clock) {
        this.spec = spec;
        this.ports = ports;
        this.telemetry = new LinkTelemetry(out, spec.name());
        this.clock = clock;
        this.clientRotation = new ClientCertificateRotation(spec, ports.clientCa(), ports.clientCertificates(),
                ports.serverCaCertificates(), ports.aks(), clock);
        this.reconciler = new Reconciler(spec, new PortObserver(spec, ports),
                LinkSteps.executor(spec, ports, null, clientRotation, telemetry, clock),
                idempotency, lock, telemetry, clock, LOCK_ATTEMPTS, LOCK_INTERVAL);
    }

    private static volatile AzureLink hosted;

    /**
     * The link of this function host, built from the app settings on first use (see {@link AzureSettings}).
     * A failed build is tried again by the next invocation, so each one reports the real reason.
     */
    public static AzureLink get() {
        AzureLink link = hosted;
        if (link == null) {
            synchronized (AzureLink.class) {
                if (hosted == null) {
                    hosted = AzureSettings.fromEnvironment().link();
                }
                link = hosted;
            }
        }
        return link;
    }

    public LinkSpec spec() {
        return spec;
    }

    public LinkPorts ports() {
        return ports;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public ClientCertificateRotation clientRotation() {
        return clientRotation;
    }

    public LinkTelemetry telemetry() {
        return telemetry;
    }

    public Clock clock() {
        return clock;
    }

    /** The one audit record of an event a function refused: nothing was read or changed. */
    public void reject(String eventId, String function, String reason) {
        reconciler.reject(eventId, function, reason);
    }

    /** The one audit record of a function that changed something outside the planner (an event-driven rotation). */
    public void applied(String eventId, String action, String target, String reason, dev.relaylink.plan.Reason code) {
        telemetry.record(new AuditRecord(clock.instant(), eventId, action, target, AuditRecord.Outcome.APPLIED, reason, code));
    }
}
