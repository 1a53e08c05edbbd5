package dev.relaylink.state;

/**
 * Everything relay-link saw in both clouds and both clusters at one moment, one record per concern.
 * A side observes only its own half (the rest stays {@code none()}); the planner is told which
 * concerns were observed and ignores the rest.
 *
 * @param privateLink the endpoint service in front of the NLB and its connections
 * @param loadBalancer the NLB's listeners, targets, security groups and TargetGroupBinding
 * @param certificates the CAs and the server and client certificates this side holds
 * @param trustExchange the public CA certificates as they crossed clouds
 * @param secrets the Secrets relay-link manages in EKS and AKS
 * @param clusterPolicies the ClientTrafficPolicy in EKS and the workloads' NetworkPolicies in AKS
 * @param revocations the client certificate versions and the published revocation list
 * @param acknowledged what each cloud confirmed its consumers' bundles hold (CA rotation waits for it)
 * @param azureNetwork the private endpoint connections and the private DNS record
 */
public record ObservedState(
        PrivateLinkState privateLink,
        LoadBalancerState loadBalancer,
        CertificateState certificates,
        TrustExchangeState trustExchange,
        ClusterSecretsState secrets,
        ClusterPolicies clusterPolicies,
        RevocationState revocations,
        BundleAcknowledgements acknowledged,
        AzureNetworkState azureNetwork) {

    public static ObservedState empty() {
        return new ObservedState(PrivateLinkState.none(), LoadBalancerState.none(), CertificateState.none(), TrustExchangeState.none(),
                ClusterSecretsState.none(), ClusterPolicies.none(), RevocationState.none(), BundleAcknowledgements.none(), AzureNetworkState.none());
    }

    public ObservedState withPrivateLink(PrivateLinkState privateLink) {
        return new ObservedState(privateLink, loadBalancer, certificates, trustExchange, secrets, clusterPolicies, revocations, acknowledged, azureNetwork);
    }

    public ObservedState withLoadBalancer(LoadBalancerState loadBalancer) {
        return new ObservedState(privateLink, loadBalancer, certificates, trustExchange, secrets, clusterPolicies, revocations, acknowledged, azureNetwork);
    }

    public ObservedState withCertificates(CertificateState certificates) {
        return new ObservedState(privateLink, loadBalancer, certificates, trustExchange, secrets, clusterPolicies, revocations, acknowledged, azureNetwork);
    }

    public ObservedState withTrustExchange(TrustExchangeState trustExchange) {
        return new ObservedState(privateLink, loadBalancer, certificates, trustExchange, secrets, clusterPolicies, revocations, acknowledged, azureNetwork);
    }

    public ObservedState withSecrets(ClusterSecretsState secrets) {
        return new ObservedState(privateLink, loadBalancer, certificates, trustExchange, secrets, clusterPolicies, revocations, acknowledged, azureNetwork);
    }

    public ObservedState withClusterPolicies(ClusterPolicies clusterPolicies) {
        return new ObservedState(privateLink, loadBalancer, certificates, trustExchange, secrets, clusterPolicies, revocations, acknowledged, azureNetwork);
    }

    public ObservedState withRevocations(RevocationState revocations) {
        return new ObservedState(privateLink, loadBalancer, certificates, trustExchange, secrets, clusterPolicies, revocations, acknowledged, azureNetwork);
    }

    public ObservedState withAcknowledged(BundleAcknowledgements acknowledged) {
        return new ObservedState(privateLink, loadBalancer, certificates, trustExchange, secrets, clusterPolicies, revocations, acknowledged, azureNetwork);
    }

    public ObservedState withAzureNetwork(AzureNetworkState azureNetwork) {
        return new ObservedState(privateLink, loadBalancer, certificates, trustExchange, secrets, clusterPolicies, revocations, acknowledged, azureNetwork);
    }
}
