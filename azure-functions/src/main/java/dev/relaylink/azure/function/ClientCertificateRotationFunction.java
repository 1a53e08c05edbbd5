package dev.relaylink.azure.function;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.relaylink.link.Reconciler;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.spec.LinkSpec.Workload;
import dev.relaylink.state.SecretState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Key Vault says a workload's client certificate is near expiry (or expired): issue the next
 * version from the client CA, import it into Key Vault and write it with the server CA bundle
 * into the workload's AKS secret. Once per event id, under the link's lock; an event about a
 * version that is no longer current only makes sure the AKS secret holds the current one.
 */
public final class ClientCertificateRotationFunction {
    public static final String NAME = "ClientCertificateRotation";

    private final Supplier<AzureLink> link;

    public ClientCertificateRotationFunction() {
        this(AzureLink::get);
    }

    /** With a link built elsewhere: tests and the local run. */
    public ClientCertificateRotationFunction(Supplier<AzureLink> link) {
        this.link = link;
    }

    @FunctionName(NAME)
    public void run(@EventGridTrigger(name = "event", dataType = "string") String event, ExecutionContext context) {
        AzureLink link = this.link.get();
        CertificateExpiry expiry;
        try {
            expiry = CertificateExpiry.of(EventEnvelope.parse(event), link.spec());
        } catch (RejectedEvent e) {
            Invocations.rejected(link, context, NAME, e);
            return;
        }
        SpiffeId workload = expiry.workload().spiffeId(link.spec().trustDomain());
        link.telemetry().daysToExpiry(workload, expiry.expires(), link.clock().instant());
        Reconciler.Result result = link.reconciler().once(expiry.eventId(), "RotateClientCertificate " + workload, () -> {
            List<String> before = state(link, expiry.workload());
            link.clientRotation().rotate(workload, dueForRotation(link, workload, expiry));
            List<String> after = state(link, expiry.workload());
            if (!after.equals(before)) {
                link.applied(expiry.eventId(), "RotateClientCertificate", workload.toString(), expiry.eventType()
                        + " for version " + expiry.version() + ": Key Vault's current version and the AKS secret "
                        + expiry.workload().namespace() + "/" + expiry.workload().secretName() + " now hold certificate " + after.get(0));
            }
            return !after.equals(before);
        });
        link.ports().clientCertificates().current(workload)
                .ifPresent(current -> link.telemetry().daysToExpiry(workload, current.leaf().getNotAfter().toInstant(), link.clock().instant()));
        context.getLogger().info(() -> NAME + " " + expiry.eventId() + " for " + workload + ": " + result);
    }

    /**
     * The expiry to rotate away from, or empty when only the AKS secret needs checking. Key Vault
     * raises CertificateNearExpiry a fixed time (30 days) before expiry, which for a client
     * certificate living days is right after its import: the spec's renewal policy, not the
     * warning, says when a rotation is due (the Reconcile timer rotates it then).
     */
    private static Optional<Instant> dueForRotation(AzureLink link, SpiffeId workload, CertificateExpiry expiry) {
        Optional<Credential> current = link.ports().clientCertificates().current(workload);
        boolean notYetDue = current.isPresent() && !link.spec().certificates().client().isDue(current.get().leaf(), link.clock().instant());
        return notYetDue ? Optional.empty() : Optional.of(expiry.expires());
    }

    /** The fingerprints of the current Key Vault version and of the certificate in the AKS secret: what a rotation changes. */
    private static List<String> state(AzureLink link, Workload workload) {
        SpiffeId id = workload.spiffeId(link.spec().trustDomain());
        String vault = link.ports().clientCertificates().current(id).map(Credential::leaf).map(Certificates::fingerprint).orElse("none");
        String secret = link.ports().aks().observe(workload.namespace(), workload.secretName())
                .map(SecretState::certificateFingerprint).orElse("none");
        return List.of(vault, secret);
    }
}
