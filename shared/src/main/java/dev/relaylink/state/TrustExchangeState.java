package dev.relaylink.state;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The public CA certificates as they crossed clouds (read on the Azure side, which drives the exchange).
 *
 * @param clientCasInAws the client CA certificates as published to the AWS side
 * @param serverCasInAws the server CA certificates as the AWS side publishes them
 */
public record TrustExchangeState(List<X509Certificate> clientCasInAws, List<X509Certificate> serverCasInAws) {

    public static TrustExchangeState none() {
        return new TrustExchangeState(List.of(), List.of());
    }
}
