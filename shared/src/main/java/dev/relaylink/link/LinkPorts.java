package dev.relaylink.link;

import dev.relaylink.port.BundleAcknowledgement;
import dev.relaylink.port.CaCertificates;
import dev.relaylink.port.CaStore;
import dev.relaylink.port.ClientCertificateStore;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.port.EndpointServicePort;
import dev.relaylink.port.GatewayEndpoints;
import dev.relaylink.port.GatewayPolicyPort;
import dev.relaylink.port.GatewayProbe;
import dev.relaylink.port.LoadBalancerPort;
import dev.relaylink.port.MirroredCaCertificates;
import dev.relaylink.port.NetworkPolicyPort;
import dev.relaylink.port.PrivateDnsPort;
import dev.relaylink.port.PrivateLinkServicePort;
import dev.relaylink.port.ServerCertificateStore;
import dev.relaylink.port.TrustExchange;

/**
 * The ports one deployment has. The AWS side fills the AWS half (and reads the client CAs as
 * published trust material), the Azure side the Azure half; the local run fills both. A port a
 * side does not have is null, and that side never plans the concerns that need it. The Azure side
 * also has the trust exchange: the AWS side's copies of the CA certificates, and its own mirror of
 * the server CAs (which it then reads as its server CA certificates).
 */
public record LinkPorts(
        EndpointServicePort endpointService,
        LoadBalancerPort loadBalancer,
        GatewayEndpoints gatewayEndpoints,
        CaStore serverCa,
        CaCertificates serverCaCertificates,
        ServerCertificateStore serverCertificates,
        GatewayProbe gatewayProbe,
        ClusterSecrets eks,
        CaStore clientCa,
        CaCertificates clientCaCertificates,
        ClientCertificateStore clientCertificates,
        PrivateLinkServicePort privateLinkService,
        PrivateDnsPort privateDns,
        ClusterSecrets aks,
        TrustExchange trustExchange,
        MirroredCaCertificates serverCaMirror,
        GatewayPolicyPort gatewayPolicy,
        NetworkPolicyPort networkPolicies,
        BundleAcknowledgement clientCasInGateway,
        CaCertificates serverCasInWorkloads) {

    public static Builder builder() {
        return new Builder();
    }

    /** Named setters: a side sets only the ports it has. */
    public static final class Builder {
        private EndpointServicePort endpointService;
        private LoadBalancerPort loadBalancer;
        private GatewayEndpoints gatewayEndpoints;
        private CaStore serverCa;
        private CaCertificates serverCaCertificates;
        private ServerCertificateStore serverCertificates;
        private GatewayProbe gatewayProbe;
        private ClusterSecrets eks;
        private CaStore clientCa;
        private CaCertificates clientCaCertificates;
        private ClientCertificateStore clientCertificates;
        private PrivateLinkServicePort privateLinkService;
        private PrivateDnsPort privateDns;
        private ClusterSecrets aks;
        private TrustExchange trustExchange;
        private MirroredCaCertificates serverCaMirror;
        private GatewayPolicyPort gatewayPolicy;
        private NetworkPolicyPort networkPolicies;
        private BundleAcknowledgement clientCasInGateway;
        private CaCertificates serverCasInWorkloads;

        public Builder endpointService(EndpointServicePort port) { this.endpointService = port; return this; }
        public Builder loadBalancer(LoadBalancerPort port) { this.loadBalancer = port; return this; }
        public Builder gatewayEndpoints(GatewayEndpoints port) { this.gatewayEndpoints = port; return this; }
        /** The server CA; its certificates are also the server CA certificates unless set otherwise. */
        public Builder serverCa(CaStore port) { this.serverCa = port; this.serverCaCertificates = port; return this; }
        public Builder serverCaCertificates(CaCertificates port) { this.serverCaCertificates = port; return this; }
        public Builder serverCertificates(ServerCertificateStore port) { this.serverCertificates = port; return this; }
        public Builder gatewayProbe(GatewayProbe port) { this.gatewayProbe = port; return this; }
        public Builder eks(ClusterSecrets port) { this.eks = port; return this; }
        /** The client CA; its certificates are also the client CA certificates unless set otherwise. */
        public Builder clientCa(CaStore port) { this.clientCa = port; this.clientCaCertificates = port; return this; }
        public Builder clientCaCertificates(CaCertificates port) { this.clientCaCertificates = port; return this; }
        public Builder clientCertificates(ClientCertificateStore port) { this.clientCertificates = port; return this; }
        public Builder privateLinkService(PrivateLinkServicePort port) { this.privateLinkService = port; return this; }
        public Builder privateDns(PrivateDnsPort port) { this.privateDns = port; return this; }
        public Builder aks(ClusterSecrets port) { this.aks = port; return this; }
        public Builder trustExchange(TrustExchange port) { this.trustExchange = port; return this; }
        /** Where the trust exchange writes the server CAs; set {@link #serverCaCertificates} to it too where the side reads them there. */
        public Builder serverCaMirror(MirroredCaCertificates port) { this.serverCaMirror = port; return this; }
        /** AWS side: where it confirms the client CAs its gateway's bundle holds. */
        public Builder clientCasInGateway(BundleAcknowledgement port) { this.clientCasInGateway = port; return this; }
        /** AWS side: the Azure side's confirmation of the server CAs its workloads' bundles hold. */
        public Builder serverCasInWorkloads(CaCertificates port) { this.serverCasInWorkloads = port; return this; }

        /** The EKS gateway's ClientTrafficPolicy. */
        public Builder gatewayPolicy(GatewayPolicyPort port) { this.gatewayPolicy = port; return this; }
        /** The workloads' egress NetworkPolicies in AKS. */
        public Builder networkPolicies(NetworkPolicyPort port) { this.networkPolicies = port; return this; }

        public LinkPorts build() {
            return new LinkPorts(endpointService, loadBalancer, gatewayEndpoints, serverCa, serverCaCertificates, serverCertificates,
                    gatewayProbe, eks, clientCa, clientCaCertificates, clientCertificates, privateLinkService, privateDns, aks,
                    trustExchange, serverCaMirror, gatewayPolicy, networkPolicies, clientCasInGateway, serverCasInWorkloads);
        }
    }
}
