package dev.relaylink.azure.function;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.SpiffeId;
import java.security.cert.X509Certificate;
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

    private final Supplier<AzureFunctions> link;

    public ClientCertificateRotationFunction() {
        this(AzureFunctions::get);
    }

    /** With a link built elsewhere: tests and the local run. */
    public ClientCertificateRotationFunction(Supplier<AzureFunctions> link) {
        this.link = link;
    }

    @FunctionName(NAME)
    public void run(@EventGridTrigger(name = "event", dataType = "string") String event, ExecutionContext context) {
        AzureFunctions link = this.link.get();
        Invocations.handle(link, context, NAME, () -> CertificateExpiry.of(EventEnvelope.parse(event), link.spec()), CertificateExpiry::eventId,
                expiry -> rotate(link, expiry, context));
    }

    private static Reconciler.Handled rotate(AzureFunctions link, CertificateExpiry expiry, ExecutionContext context) {
        SpiffeId workload = expiry.workload().spiffeId(link.spec().trustDomain());
        link.telemetry().daysToExpiry(workload, expiry.expires(), link.clock().instant());
        Reconciler.Handled result = link.reconciler().once(expiry.eventId(), "RotateClientCertificate " + workload, () -> {
            Optional<X509Certificate> changed = link.clientRotation().onExpiryEvent(workload, expiry.expires());
            changed.ifPresent(leaf -> link.applied(expiry.eventId(), "RotateClientCertificate", workload.toString(), expiry.eventType()
                    + " for version " + expiry.version() + ": Key Vault's current version and the AKS secret "
                    + expiry.workload().namespace() + "/" + expiry.workload().secretName() + " now hold certificate "
                    + Certificates.fingerprint(leaf), dev.relaylink.plan.Reason.CERTIFICATE_DUE));
            return changed.isPresent();
        });
        link.reportExpiry(workload);
        context.getLogger().info(() -> NAME + " " + expiry.eventId() + " for " + workload + ": " + result);
        return result;
    }
}
