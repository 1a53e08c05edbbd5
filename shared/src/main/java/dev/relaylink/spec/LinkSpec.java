package dev.relaylink.spec;

import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.pki.SpiffeId;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The desired state of one link, read from YAML by {@link LinkSpecReader} (see examples/link.yaml).
 * Everything here is validated; code that holds a LinkSpec never re-checks it.
 */
public record LinkSpec(
        String name,
        Relay relay,
        Aws aws,
        Azure azure,
        List<Workload> workloads,
        CertificatePolicy certificates,
        String trustDomain) {

    /**
     * The relay service in EKS and the gateway in front of it.
     *
     * @param clientTrafficPolicy the Envoy Gateway ClientTrafficPolicy relay-link owns: TLS 1.3, the client CA, one SAN matcher per workload, the CRL
     * @param gateway the Gateway (gateway.networking.k8s.io) in the relay namespace whose listener the policy targets
     * @param listener that Gateway's HTTPS listener on {@code port}
     * @param crlSecret Secret with {@code ca.crl}: the client CA's revocation list that the policy references
     */
    public record Relay(String namespace, String gatewayService, String hostName, int port,
                        String tlsSecret, String clientCaSecret, String clientTrafficPolicy,
                        String gateway, String listener, String crlSecret) {
    }

    public record Aws(String region, String accountId, EndpointService endpointService, Nlb nlb,
                      String serverCertSecretId, String serverCaKeyId, String eksCluster) {
    }

    /** The PrivateLink endpoint service: acceptance is always required; only these principals may connect. */
    public record EndpointService(String name, Set<String> allowedPrincipals) {
    }

    public record Nlb(String loadBalancerArn, String targetGroupArn, String securityGroupId, Set<String> allowedSourceCidrs) {
    }

    public record Azure(String subscriptionId, String resourceGroup, String privateLinkService,
                        Set<String> allowedSubscriptions, Set<String> allowedVnets,
                        PrivateDns privateDns, KeyVault keyVault, String aksCluster) {
    }

    public record PrivateDns(String zone, String recordName) {
    }

    public record KeyVault(String name, String clientCaKey) {
    }

    /**
     * An AKS workload allowed to call relay; its client cert lives in Key Vault and in {@code secretName} in its namespace.
     *
     * @param podSelector the labels of the workload's pods (a NetworkPolicy selects pods by label, never by service account)
     */
    public record Workload(String namespace, String serviceAccount, String secretName, java.util.Map<String, String> podSelector) {
        public Workload {
            podSelector = podSelector == null ? null : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(podSelector));
        }

        /** A workload whose pods carry {@code app: <serviceAccount>}: for specs built in code. */
        public Workload(String namespace, String serviceAccount, String secretName) {
            this(namespace, serviceAccount, secretName, java.util.Map.of("app", serviceAccount));
        }

        /** The NetworkPolicy relay-link keeps for this workload in its namespace. */
        public String networkPolicyName() {
            return "relay-link-egress-" + serviceAccount;
        }

        public SpiffeId spiffeId(String trustDomain) {
            return new SpiffeId(trustDomain, namespace, serviceAccount);
        }

        /** The Key Vault certificate name: Key Vault allows only letters, digits and dashes. */
        public String keyVaultCertificateName() {
            return "client-" + namespace + "--" + serviceAccount.replace('.', '-');
        }
    }

    /** Leaf policies, the CA lifetime, and when a CA generation is renewed ({@code certificates.ca.renewBefore}). */
    public record CertificatePolicy(RenewalPolicy server, RenewalPolicy client, Duration caLifetime, RenewalPolicy ca) {
    }

    public Set<SpiffeId> allowedSpiffeIds() {
        return workloads.stream().map(w -> w.spiffeId(trustDomain)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
