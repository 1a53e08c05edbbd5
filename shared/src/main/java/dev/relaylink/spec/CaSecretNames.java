package dev.relaylink.spec;

/**
 * The Secrets Manager secrets that hold the link's public CA material on the AWS side, named after
 * the server certificate's secret ({@code aws.serverCertSecretId}) as the stack creates them
 * (template.yaml). Both clouds use these names: the AWS functions write and read them, the Azure side's
 * trust exchange reads and writes them across clouds.
 *
 * @param serverCertificate the server certificate and key (the spec's own id)
 * @param serverCas the server CA certificates (issuing first)
 * @param clientCas the client CA certificates and revocation list the Azure side publishes
 * @param clientCasInGateway the client CAs the EKS gateway's bundle holds (this side's confirmation)
 * @param serverCasInWorkloads the server CAs every AKS workload's bundle holds (the Azure side's confirmation)
 */
public record CaSecretNames(String serverCertificate, String serverCas, String clientCas, String clientCasInGateway,
                            String serverCasInWorkloads) {
    public static final String SERVER_CAS = "-ca";
    public static final String CLIENT_CAS = "-client-ca";
    public static final String CLIENT_CAS_IN_GATEWAY = "-client-ca-in-gateway";
    public static final String SERVER_CAS_IN_WORKLOADS = "-ca-in-workloads";

    public static CaSecretNames of(LinkSpec spec) {
        return forServerCertificate(spec.aws().serverCertSecretId());
    }

    public static CaSecretNames forServerCertificate(String serverCertSecretId) {
        return new CaSecretNames(serverCertSecretId, serverCertSecretId + SERVER_CAS, serverCertSecretId + CLIENT_CAS,
                serverCertSecretId + CLIENT_CAS_IN_GATEWAY, serverCertSecretId + SERVER_CAS_IN_WORKLOADS);
    }
}
