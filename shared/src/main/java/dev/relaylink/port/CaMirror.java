package dev.relaylink.port;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * This side's copy of the other side's CA certificates (the server CAs in Key Vault), which its
 * own use cases read; kept equal to the source by the trust exchange.
 */
public interface CaMirror extends PublishedCas {

    /** Replaces the copy with {@code certificates}; false and nothing written when it holds them already. */
    boolean mirror(List<X509Certificate> certificates);
}
