package dev.relaylink.port;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One cloud's confirmation of the CA certificates its consumers' bundles hold (public material),
 * read by the other cloud before it switches issuing to a new CA.
 */
public interface BundleAcknowledgement extends PublishedCas {

    /** Records that the bundles hold exactly {@code certificates}; false and nothing written when recorded already. */
    boolean acknowledge(List<X509Certificate> certificates);
}
