package dev.relaylink.link;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.port.ClientCertificateStore;
import dev.relaylink.port.RevocationList;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * An operator revokes a workload's certificate on purpose: a new one is issued and written now
 * (the same rotation as on expiry), the old serial is handed to the revocation list the gateway
 * checks, and one audit record names who asked and why. Without a revocation list the old
 * certificate stays valid until it expires, and the result says so.
 */
public final class WorkloadRevocation {
    public static final String ACTION = "RevokeClientCertificate";

    private final ClientCertificateRotation rotation;
    private final ClientCertificateStore store;
    private final Optional<RevocationList> revocationList;
    private final AuditLog audit;
    private final Clock clock;

    public WorkloadRevocation(ClientCertificateRotation rotation, ClientCertificateStore store, Optional<RevocationList> revocationList,
                              AuditLog audit, Clock clock) {
        this.rotation = rotation;
        this.store = store;
        this.revocationList = revocationList;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a revocation did: the certificate replaced (if there was one), the one now current, and whether the old serial is listed. */
    public record Result(String requestId, Optional<String> revokedSerial, String currentSerial, boolean listedInCrl) {
    }

    /**
     * @param requester who asked, with where that name comes from (e.g. {@code azure:<upn>} or {@code os-user:<name>})
     * @throws IllegalArgumentException when the workload is not in the link spec (nothing changed)
     */
    public Result revoke(SpiffeId workload, String requester, String reason) {
        String requestId = "revoke-" + UUID.randomUUID();
        Optional<X509Certificate> old = store.current(workload).map(Credential::leaf);
        try {
            rotation.rotateNow(workload);
        } catch (RuntimeException e) {
            audit.record(new AuditRecord(clock.instant(), requestId, ACTION, workload.toString(), AuditRecord.Outcome.FAILED,
                    "asked by " + requester + ": " + reason + "; failed: " + e.getMessage()));
            throw e;
        }
        X509Certificate current = store.current(workload).map(Credential::leaf)
                .orElseThrow(() -> new IllegalStateException("no current certificate for " + workload + " after the rotation"));
        boolean listed = false;
        if (old.isPresent() && revocationList.isPresent()) {
            revocationList.get().revoke(old.get().getIssuerX500Principal().getName(), old.get().getSerialNumber(), clock.instant(), reason);
            listed = true;
        }
        String replaced = old.map(c -> "serial " + Certificates.serialHex(c) + " replaced by " + Certificates.serialHex(current))
                .orElse("no certificate before; issued " + Certificates.serialHex(current));
        audit.record(new AuditRecord(clock.instant(), requestId, ACTION, workload.toString(), AuditRecord.Outcome.APPLIED,
                "asked by " + requester + ": " + reason + "; " + replaced
                        + (listed ? "; old serial listed in the CRL" : old.isPresent() ? "; old serial NOT in a CRL: no revocation list is configured" : "")));
        return new Result(requestId, old.map(Certificates::serialHex), Certificates.serialHex(current), listed);
    }
}
