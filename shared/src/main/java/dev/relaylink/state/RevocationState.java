package dev.relaylink.state;

import dev.relaylink.pki.SpiffeId;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What decides and carries the client CA's revocation list: on the Azure side every workload's
 * certificate versions in Key Vault (oldest first); on both sides the list as published to AWS (PEM).
 */
public record RevocationState(Map<SpiffeId, List<X509Certificate>> clientCertificateVersions, Optional<String> publishedCrl) {
    public RevocationState {
        clientCertificateVersions = Map.copyOf(clientCertificateVersions);
    }

    public static RevocationState none() {
        return new RevocationState(Map.of(), Optional.empty());
    }
}
