package dev.relaylink.port;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A side's published CA certificates, current first: public trust material. The AWS side reads
 * the client CAs this way and the Azure side the server CAs; each owns only its own {@link OwnedCa}.
 */
public interface PublishedCas {
    List<X509Certificate> certificates();

    /** The CA's revocation list (PEM), where the side publishes one with the certificates; empty otherwise. */
    default java.util.Optional<String> revocationList() {
        return java.util.Optional.empty();
    }
}
