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
    public void applied(String eventId, String action, String target, String reason) {
        telemetry.record(new AuditRecord(clock.instant(), eventId, action, target, AuditRecord.Outcome.APPLIED, reason));
    }

    /** The private endpoint connection of that name on the link's Private Link Service, as ARM has it now (a read). */
    public java.util.Optional<dev.relaylink.state.PrivateEndpointConnection> privateEndpointConnection(String name) {
        return ports().privateLinkService().connection(name);
    }

    /**
     * Days to expiry of every workload's client certificate (a read per certificate: the function's
     * roles are scoped to each certificate, none lists the vault), and of every CA generation this side
     * holds or mirrors, with how deep the issuing one is into its renewal window.
     */
    public void reportExpiry() {
        java.time.Instant now = clock.instant();
        ports().clientCertificates().currentExpiries().forEach((workload, notAfter) -> telemetry.daysToExpiry(workload, notAfter, now));
        reportCaGenerations("client-ca", ports().clientCaCertificates().certificates(), now);
        reportCaGenerations("server-ca", ports().serverCaCertificates().certificates(), now);
    }

    /** Days to expiry of the workload's current client certificate, when it has one. */
    public void reportExpiry(dev.relaylink.pki.SpiffeId workload) {
        ports().clientCertificates().current(workload)
                .ifPresent(current -> telemetry.daysToExpiry(workload, current.leaf().getNotAfter().toInstant(), clock.instant()));
    }

    private void reportCaGenerations(String ca, java.util.List<java.security.cert.X509Certificate> published, java.time.Instant now) {
        for (var generation : dev.relaylink.pki.CaGenerations.of(published)) {
            telemetry.caDaysToExpiry(ca, generation.state().name().toLowerCase(java.util.Locale.ROOT), generation.notAfter(), now);
        }
        dev.relaylink.pki.CaGenerations.issuing(published).ifPresent(g ->
                telemetry.caDaysIntoRenewal(ca, spec.certificates().ca().renewAt(g.certificate()), now));
    }
}
