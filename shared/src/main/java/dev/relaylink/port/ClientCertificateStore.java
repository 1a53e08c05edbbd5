package dev.relaylink.port;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.SpiffeId;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The workloads' client certificates in Key Vault: one certificate per workload, each rotation a new version. */
public interface ClientCertificateStore {

    /** The current version's chain (leaf first) of every workload that has one. */
    Map<SpiffeId, List<X509Certificate>> currentCertificates();

    /**
     * When each workload's current version expires: what the days-to-expiry metric needs. An adapter answers with
     * its store's list call where it has one, instead of reading every certificate again.
     */
    default Map<SpiffeId, java.time.Instant> currentExpiries() {
        Map<SpiffeId, java.time.Instant> expiries = new java.util.LinkedHashMap<>();
        currentCertificates().forEach((workload, chain) -> expiries.put(workload, chain.get(0).getNotAfter().toInstant()));
        return expiries;
    }

    /** The current version with its private key, to write into the workload's AKS secret. */
    Optional<Credential> current(SpiffeId workload);

    /**
     * Every version's leaf of every workload that has one, in the order the versions were made
     * current (oldest first): what the revocation list is decided from. Public data only.
     */
    Map<SpiffeId, List<X509Certificate>> versions();

    /** Imports {@code credential} as the workload's newest (current) version; earlier versions stay valid until they expire. */
    void importVersion(SpiffeId workload, Credential credential);
}
