package dev.relaylink.state;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What each cloud has confirmed it trusts, as written by the side that observed it: the client CAs
 * the EKS gateway's bundle holds (written by the AWS side), and the server CAs every workload's
 * bundle in AKS holds (written by the Azure side through the trust exchange). A side switches
 * issuing to a new CA only once the other cloud's confirmation names it. Empty where this side
 * cannot read the confirmation.
 */
public record BundleAcknowledgements(Optional<List<X509Certificate>> clientCasInGateway,
                                     Optional<List<X509Certificate>> serverCasInWorkloads) {

    public static BundleAcknowledgements none() {
        return new BundleAcknowledgements(Optional.empty(), Optional.empty());
    }
}
