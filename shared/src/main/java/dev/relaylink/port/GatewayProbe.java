package dev.relaylink.port;

import java.security.cert.X509Certificate;
import java.util.List;

/** Asks the EKS gateway which certificate chain it serves for the relay host name (a TLS handshake). */
public interface GatewayProbe {
    List<X509Certificate> servedChain(String hostName) throws java.io.IOException;
}
