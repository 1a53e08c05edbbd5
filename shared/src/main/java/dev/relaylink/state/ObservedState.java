package dev.relaylink.state;

import dev.relaylink.pki.SpiffeId;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything relay-link saw in both clouds and both clusters at one moment. A side observes only
 * its own half; the planner is told which concerns were observed and ignores the rest.
 *
 * @param gatewayEndpoints the EKS gateway's pod endpoints (read through fabric8): the NLB's desired targets
 * @param loadBalancerSecurityGroups the security groups attached to the NLB
 * @param serverCas server CA certificates, current first (the public halves; keys stay in KMS): the AWS side's
 *     own, the Azure side's Key Vault mirror of them
 * @param clientCas client CA certificates, current first (keys stay in Key Vault): the Azure side's own, the
 *     AWS side's published copy of them
 * @param serverCertificate the AWSCURRENT server chain in Secrets Manager, leaf first
 * @param clientCertificates each workload's current certificate chain in Key Vault, leaf first
 * @param dnsRecordIps the IPv4 addresses of the private DNS A record for the relay host
 * @param eksSecrets managed Secrets of EKS, keyed by {@link SecretState#key()}
 * @param aksSecrets the same for AKS
 * @param clientCasInAws the client CA certificates as published to the AWS side (trust exchange)
 * @param loadBalancerSecurityGroups the security groups attached to the NLB
 * @param serverCasInAws the server CA certificates as the AWS side publishes them (trust exchange)
 * @param pendingServerRotation the server certificate's pending version (not yet current): a rotation is under way
 * @param clusterPolicies the ClientTrafficPolicy in EKS and the workloads' NetworkPolicies in AKS
 * @param revocations the client certificate versions and the published revocation list
 * @param acknowledged what each cloud confirmed its consumers' bundles hold (CA rotation waits for it)
 */
public record ObservedState(
        Optional<EndpointServiceState> endpointService,
        List<EndpointConnection> endpointConnections,
        List<ListenerState> listeners,
        Set<Target> registeredTargets,
        Set<Target> gatewayEndpoints,
        Set<IngressRule> securityGroupRules,
        Set<String> loadBalancerSecurityGroups,
        List<X509Certificate> serverCas,
        List<X509Certificate> clientCas,
        Optional<List<X509Certificate>> serverCertificate,
        Map<SpiffeId, List<X509Certificate>> clientCertificates,
        List<PrivateEndpointConnection> privateEndpointConnections,
        Set<String> dnsRecordIps,
        Map<String, SecretState> eksSecrets,
        Map<String, SecretState> aksSecrets,
        List<X509Certificate> clientCasInAws,
        List<X509Certificate> serverCasInAws,
        Optional<PendingServerCertificate> pendingServerRotation,
        ClusterPolicies clusterPolicies,
        RevocationState revocations,
        BundleAcknowledgements acknowledged) {

    public static ObservedState empty() {
        return new ObservedState(Optional.empty(), List.of(), List.of(), Set.of(), Set.of(), Set.of(), Set.of(), List.of(), List.of(),
                Optional.empty(), Map.of(), List.of(), Set.of(), Map.of(), Map.of(), List.of(), List.of(), Optional.empty(),
                ClusterPolicies.none(), RevocationState.none(), BundleAcknowledgements.none());
    }
}
