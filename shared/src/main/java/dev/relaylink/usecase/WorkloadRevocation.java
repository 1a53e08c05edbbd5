package dev.relaylink.usecase;

import dev.relaylink.wiring.PortObserver;
import dev.relaylink.wiring.Side;
import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.port.ClientCertificateStore;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.SecretState;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * An operator revokes a workload's certificate on purpose: a new one is issued and written now
 * (the same rotation as on expiry), which replaces the old one before it was due. From the Key
 * Vault versions the Azure reconcile then lists the old serial in the client CA's revocation list
 * and publishes it through the trust exchange; the AWS reconcile copies it into the Secret the
 * gateway's ClientTrafficPolicy names. The result says whether the gateway's CRL lists the old
 * serial when this returns, or what is still to happen; one audit record names who asked and why.
 */
public final class WorkloadRevocation {
    public static final String ACTION = "RevokeClientCertificate";

    /** How a revocation reaches the gateway once the certificate is replaced. */
    public interface CrlDelivery {
        /**
         * Runs the Azure reconcile (publishes the CRL) and then the AWS reconcile (copies it to the gateway) where
         * this connection can; returns what the operator must still wait for, empty when both ran.
         */
        Optional<String> deliver(String requestId);

        /** The revocation list the gateway reads now, when its Secret holds the one published to AWS. */
        Optional<X509CRL> gatewayCrl();
    }

    private final ClientCertificateRotation rotation;
    private final ClientCertificateStore store;
    private final CrlDelivery delivery;
    private final AuditLog audit;
    private final Clock clock;

    public WorkloadRevocation(ClientCertificateRotation rotation, ClientCertificateStore store, CrlDelivery delivery, AuditLog audit, Clock clock) {
        this.rotation = rotation;
        this.store = store;
        this.delivery = delivery;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What a revocation did: the certificate replaced (if there was one), the one now current, whether the gateway's
     * CRL lists the old serial, and otherwise what the operator waits for.
     */
    public record Result(String requestId, Optional<String> revokedSerial, String currentSerial, boolean listedInCrl, Optional<String> waitingFor) {
    }

    /**
     * The CRL in the gateway's Secret, read as the planner compares it: the Secret's {@code ca.crl} must hash to the
     * revocation list published to AWS, which is then the list the gateway holds.
     */
    public static Optional<X509CRL> gatewayCrl(LinkSpec spec, Side side) {
        Optional<String> published = PortObserver.publishedRevocationList(side);
        Optional<SecretState> secret = side.aws().orElseThrow(() -> new IllegalStateException("the gateway is on the AWS side")).eks().observe(spec.relay().namespace(), spec.relay().crlSecret());
        boolean inGateway = published.isPresent() && secret.isPresent()
                && SecretState.sha256Hex(published.get()).equals(secret.get().sha256ByKey().get(dev.relaylink.k8s.ClusterSecretData.CA_CRL));
        return inGateway ? Optional.of(Pem.readRevocationList(published.get())) : Optional.empty();
    }

    /**
     * @param requester who asked, with where that name comes from (e.g. {@code azure:<upn>} or {@code os-user:<name>})
     * @throws IllegalArgumentException when the workload is not in the link spec (nothing changed)
     */
    public Result revoke(SpiffeId workload, String requester, String reason) {
        String requestId = "revoke-" + UUID.randomUUID();
        Optional<X509Certificate> old = store.current(workload).map(Credential::leaf);
        String asked = "asked by " + requester + ": " + reason + "; ";
        try {
            rotation.rotateNow(workload);
        } catch (RuntimeException e) {
            audit.record(new AuditRecord(clock.instant(), requestId, ACTION, workload.toString(), AuditRecord.Outcome.FAILED,
                    asked + "failed: " + e.getMessage()));
            throw e;
        }
        X509Certificate current = store.current(workload).map(Credential::leaf)
                .orElseThrow(() -> new IllegalStateException("no current certificate for " + workload + " after the rotation"));
        String replaced = old.map(c -> "serial " + Certificates.serialHex(c) + " replaced by " + Certificates.serialHex(current))
                .orElse("no certificate before; issued " + Certificates.serialHex(current));
        if (old.isEmpty()) {
            audit.record(new AuditRecord(clock.instant(), requestId, ACTION, workload.toString(), AuditRecord.Outcome.APPLIED, asked + replaced));
            return new Result(requestId, Optional.empty(), Certificates.serialHex(current), false, Optional.empty());
        }
        Optional<String> waitingFor;
        try {
            waitingFor = delivery.deliver(requestId);
        } catch (RuntimeException e) {
            // The certificate is replaced and stays so; the next scheduled reconciles publish the CRL.
            waitingFor = Optional.of("the scheduled Azure and AWS reconciles (running them now failed: " + e.getMessage() + ")");
        }
        boolean listed;
        try {
            listed = delivery.gatewayCrl().map(crl -> crl.getRevokedCertificate(old.get().getSerialNumber()) != null).orElse(false);
        } catch (RuntimeException e) {
            // The replacement stands and is audited; only the check of the gateway's copy could not be made.
            listed = false;
            waitingFor = Optional.of(waitingFor.map(w -> w + "; ").orElse("") + "a check of the gateway's CRL (reading it failed: " + e.getMessage() + ")");
        }
        if (!listed && waitingFor.isEmpty()) {
            waitingFor = Optional.of("the next Azure and AWS reconciles: the gateway's CRL does not list the old serial yet");
        }
        audit.record(new AuditRecord(clock.instant(), requestId, ACTION, workload.toString(), AuditRecord.Outcome.APPLIED,
                asked + replaced + (listed ? "; old serial listed in the gateway's CRL" : "; old serial not yet in the gateway's CRL: waiting for "
                        + waitingFor.get())));
        return new Result(requestId, old.map(Certificates::serialHex), Certificates.serialHex(current), listed, listed ? Optional.empty() : waitingFor);
    }
}
