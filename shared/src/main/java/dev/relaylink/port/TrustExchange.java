package dev.relaylink.port;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The AWS side's copies of the public trust material, as the Azure side reaches them through
 * federation (an Entra ID token exchanged for a short-lived AWS role, never a stored key): the
 * client CA certificates the EKS gateway's bundle is built from, and the server CA certificates
 * the workloads verify relay with. Lists are current first.
 */
public interface TrustExchange {

    /** The client CA certificates the AWS side reads; empty before the first publish. */
    List<X509Certificate> publishedClientCas();

    /**
     * Makes {@code certificates} the AWS side's client CA certificates. Returns false and writes
     * nothing when they are there already; a failed write leaves the previous ones in place.
     */
    boolean publishClientCas(List<X509Certificate> certificates);

    /** The client CA's revocation list (PEM) as the AWS side reads it beside the client CA certificates; empty before the first publish. */
    java.util.Optional<String> publishedRevocationList();

    /**
     * Makes {@code crlPem} the revocation list the AWS side reads, keeping the published client CA
     * certificates. Returns false and writes nothing when it is there already.
     */
    boolean publishRevocationList(String crlPem);

    /** The server CA certificates the AWS side publishes; empty before its first bootstrap. */
    List<X509Certificate> serverCas();

    /** The client CA certificates the AWS side confirmed its EKS gateway's bundle holds; empty before its first confirmation. */
    List<X509Certificate> clientCasInGateway();

    /** The server CA certificates this side last confirmed its workloads' bundles hold. */
    List<X509Certificate> serverCasInWorkloads();

    /** Confirms to the AWS side that every workload's bundle holds exactly {@code certificates}; false when confirmed already. */
    boolean acknowledgeServerCasInWorkloads(List<X509Certificate> certificates);
}
