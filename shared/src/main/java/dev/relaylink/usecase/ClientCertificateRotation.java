package dev.relaylink.usecase;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.port.PublishedCas;
import dev.relaylink.port.OwnedCa;
import dev.relaylink.port.ClientCertificateStore;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpec.Workload;
import dev.relaylink.state.SecretState;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Rotates one workload's client certificate: issue from the client CA, import as the new current
 * Key Vault version, then write it with the server CA bundle into the workload's AKS secret. The
 * previous version stays valid until it expires, so pods still holding it keep working until
 * their secret volume refreshes. A retry after a crash between import and write issues nothing
 * new: it only writes the secret.
 */
public final class ClientCertificateRotation {
    private final LinkSpec spec;
    private final OwnedCa clientCa;
    private final ClientCertificateStore store;
    private final PublishedCas serverCas;
    private final ClusterSecrets aks;
    private final Clock clock;

    public ClientCertificateRotation(LinkSpec spec, OwnedCa clientCa, ClientCertificateStore store, PublishedCas serverCas,
                                     ClusterSecrets aks, Clock clock) {
        this.spec = spec;
        this.clientCa = clientCa;
        this.store = store;
        this.serverCas = serverCas;
        this.aks = aks;
        this.clock = clock;
    }

    /**
     * Issues a new version when the workload has none, or when {@code expiringNotAfter} (from a
     * Key Vault near-expiry event) is the current version's expiry; then writes the AKS secret.
     * An event about an older version means the rotation already happened: only the secret is checked.
     */
    public void rotate(SpiffeId workload, Optional<Instant> expiringNotAfter) {
        Workload target = workload(workload);
        Optional<Credential> current = store.current(workload);
        boolean currentIsExpiring = current.isPresent() && expiringNotAfter
                .map(notAfter -> current.get().leaf().getNotAfter().toInstant().getEpochSecond() == notAfter.getEpochSecond())
                .orElse(false);
        if (current.isEmpty() || currentIsExpiring) {
            issue(workload);
        }
        writeSecret(target);
    }

    /**
     * Key Vault reported the version expiring at {@code expires} as near expiry (or expired). Key
     * Vault warns a fixed 30 days ahead, which for a certificate living days is right after its
     * import: the spec's renewal policy, not the warning, says whether a rotation is due (otherwise
     * the reconcile timer rotates it when it is). Either way the AKS secret ends up holding the
     * current version.
     *
     * @return the certificate now current, when this call changed Key Vault or the AKS secret
     */
    public Optional<X509Certificate> onExpiryEvent(SpiffeId workload, Instant expires) {
        Workload target = workload(workload);
        List<String> before = state(target);
        Optional<Credential> current = store.current(workload);
        boolean due = current.isEmpty() || spec.certificates().client().isDue(current.get().leaf(), clock.instant());
        rotate(workload, due ? Optional.of(expires) : Optional.empty());
        return state(target).equals(before) ? Optional.empty() : store.current(workload).map(Credential::leaf);
    }

    /** The fingerprints of the current Key Vault version and of the certificate in the AKS secret: what a rotation changes. */
    private List<String> state(Workload workload) {
        SpiffeId id = workload.spiffeId(spec.trustDomain());
        String vault = store.current(id).map(c -> Certificates.fingerprint(c.leaf())).orElse("none");
        String secret = aks.observe(workload.namespace(), workload.secretName()).map(SecretState::certificateFingerprint).orElse("none");
        return List.of(vault, secret);
    }

    /** Always issues a new version (the planner decided it is due), then writes the secret. */
    public void rotateNow(SpiffeId workload) {
        Workload target = workload(workload);
        issue(workload);
        writeSecret(target);
    }

    /** Writes the workload's current Key Vault version and the server CA bundle into its AKS secret. */
    public void writeSecret(SpiffeId workload) {
        writeSecret(workload(workload));
    }

    private void issue(SpiffeId workload) {
        CertificateAuthority ca = clientCa.current().orElseThrow(() -> new IllegalStateException("the client CA does not exist yet"));
        KeyPair key = Keys.generateP256();
        var leaf = ca.issueClient(key.getPublic(), workload, clock.instant(), spec.certificates().client().lifetime());
        store.importVersion(workload, new Credential(key.getPrivate(), List.of(leaf)));
    }

    private void writeSecret(Workload workload) {
        SpiffeId id = workload.spiffeId(spec.trustDomain());
        Credential credential = store.current(id).orElseThrow(() -> new IllegalStateException("no client certificate for " + id));
        List<java.security.cert.X509Certificate> cas = serverCas.certificates();
        if (cas.isEmpty()) {
            throw new IllegalStateException("the server CA bundle is not published yet: a workload secret without it cannot verify relay");
        }
        aks.applyTls(workload.namespace(), workload.secretName(), credential, Optional.of(TrustBundle.of(cas)));
    }

    private Workload workload(SpiffeId id) {
        return spec.workloads().stream().filter(w -> w.spiffeId(spec.trustDomain()).equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(id + " is not a workload of link " + spec.name()));
    }
}
