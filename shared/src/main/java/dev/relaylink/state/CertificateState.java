package dev.relaylink.state;

import dev.relaylink.pki.SpiffeId;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CAs and leaf certificates this side holds, as observed.
 *
 * @param serverCas server CA certificates, current first (the public halves; keys stay in KMS): the AWS side's
 *     own, the Azure side's Key Vault mirror of them
 * @param clientCas client CA certificates, current first (keys stay in Key Vault): the Azure side's own, the
 *     AWS side's published copy of them
 * @param serverCertificate the AWSCURRENT server chain in Secrets Manager, leaf first
 * @param pendingServerRotation the server certificate's pending version (not yet current): a rotation is under way
 * @param clientCertificates each workload's current certificate chain in Key Vault, leaf first
 */
public record CertificateState(List<X509Certificate> serverCas, List<X509Certificate> clientCas,
                               Optional<List<X509Certificate>> serverCertificate,
                               Optional<PendingServerCertificate> pendingServerRotation,
                               Map<SpiffeId, List<X509Certificate>> clientCertificates) {

    public static CertificateState none() {
        return new CertificateState(List.of(), List.of(), Optional.empty(), Optional.empty(), Map.of());
    }

    public CertificateState withCas(List<X509Certificate> serverCas, List<X509Certificate> clientCas) {
        return new CertificateState(serverCas, clientCas, serverCertificate, pendingServerRotation, clientCertificates);
    }

    public CertificateState withServerCertificate(List<X509Certificate> chain) {
        return new CertificateState(serverCas, clientCas, Optional.of(chain), pendingServerRotation, clientCertificates);
    }

    public CertificateState withPendingServerRotation(PendingServerCertificate pending) {
        return new CertificateState(serverCas, clientCas, serverCertificate, Optional.of(pending), clientCertificates);
    }

    public CertificateState withClientCertificates(Map<SpiffeId, List<X509Certificate>> chains) {
        return new CertificateState(serverCas, clientCas, serverCertificate, pendingServerRotation, chains);
    }
}
