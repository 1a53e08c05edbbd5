package dev.relaylink.link;

import static dev.relaylink.plan.Concern.AKS_NETWORK_POLICIES;
import static dev.relaylink.plan.Concern.AKS_SECRETS;
import static dev.relaylink.plan.Concern.CLIENT_CERTIFICATES;
import static dev.relaylink.plan.Concern.EKS_SECRETS;
import static dev.relaylink.plan.Concern.ENDPOINT_CONNECTIONS;
import static dev.relaylink.plan.Concern.ENDPOINT_SERVICE;
import static dev.relaylink.plan.Concern.LOAD_BALANCER;
import static dev.relaylink.plan.Concern.PRIVATE_DNS;
import static dev.relaylink.plan.Concern.PRIVATE_ENDPOINTS;
import static dev.relaylink.plan.Concern.SERVER_CERTIFICATE;
import static dev.relaylink.plan.Concern.TRUST_EXCHANGE;

import dev.relaylink.pki.SpiffeId;
import dev.relaylink.plan.Concern;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpec.Workload;
import dev.relaylink.state.BundleAcknowledgements;
import dev.relaylink.state.ClusterPolicies;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.state.ObservedState;
import dev.relaylink.state.GatewayClientPolicy;
import dev.relaylink.state.RevocationState;
import dev.relaylink.state.SecretState;
import dev.relaylink.state.WorkloadEgressPolicy;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads, through the ports, exactly the parts of the link that the given concerns need. */
public final class PortObserver {
    private final LinkSpec spec;
    private final LinkPorts ports;

    public PortObserver(LinkSpec spec, LinkPorts ports) {
        this.spec = spec;
        this.ports = ports;
    }

    /** The client CA's revocation list as published to AWS: through the trust exchange where a side has it, else beside the client CAs. */
    public static Optional<String> publishedRevocationList(LinkPorts ports) {
        return ports.trustExchange() != null ? ports.trustExchange().publishedRevocationList() : ports.clientCaCertificates().revocationList();
    }

    /** Each confirmation from where this side reads it: its own store on AWS, the trust exchange on Azure. */
    private BundleAcknowledgements acknowledgements(Set<Concern> concerns) {
        if (!concerns.contains(Concern.CA_GENERATIONS)) {
            return BundleAcknowledgements.none();
        }
        boolean trust = concerns.contains(TRUST_EXCHANGE) && ports.trustExchange() != null;
        Optional<List<X509Certificate>> inGateway = concerns.contains(EKS_SECRETS) && ports.clientCasInGateway() != null
                ? Optional.of(ports.clientCasInGateway().certificates())
                : trust ? Optional.of(ports.trustExchange().clientCasInGateway()) : Optional.empty();
        Optional<List<X509Certificate>> inWorkloads = concerns.contains(SERVER_CERTIFICATE) && ports.serverCasInWorkloads() != null
                ? Optional.of(ports.serverCasInWorkloads().certificates())
                : trust ? Optional.of(ports.trustExchange().serverCasInWorkloads()) : Optional.empty();
        return new BundleAcknowledgements(inGateway, inWorkloads);
    }

    /** The workloads' object names (secret or policy) grouped by namespace. */
    private Map<String, Set<String>> byNamespace(java.util.function.Function<Workload, String> name) {
        Map<String, Set<String>> names = new java.util.TreeMap<>();
        for (Workload workload : spec.workloads()) {
            names.computeIfAbsent(workload.namespace(), ns -> new java.util.TreeSet<>()).add(name.apply(workload));
        }
        return names;
    }

    public ObservedState observe(Set<Concern> concerns) {
        LinkSpec.Relay relay = spec.relay();
        LinkSpec.Nlb nlb = spec.aws().nlb();

        Optional<EndpointServiceState> service = Optional.empty();
        List<EndpointConnection> connections = List.of();
        if (concerns.contains(ENDPOINT_SERVICE) || concerns.contains(ENDPOINT_CONNECTIONS)) {
            service = ports.endpointService().describe(spec.name(), nlb.loadBalancerArn());
            if (concerns.contains(ENDPOINT_CONNECTIONS) && service.isPresent()) {
                connections = ports.endpointService().connections(service.get().serviceId());
            }
        }

        boolean lb = concerns.contains(LOAD_BALANCER);
        // Targets are either the Load Balancer Controller's (from the TargetGroupBinding) or relay-link's own: never both.
        boolean ownTargets = lb && nlb.targets() == LinkSpec.Targets.RELAY_LINK;
        boolean controllerTargets = lb && nlb.targets() == LinkSpec.Targets.CONTROLLER;
        var listeners = lb ? ports.loadBalancer().listeners(nlb.loadBalancerArn()) : List.<dev.relaylink.state.ListenerState>of();
        var registered = ownTargets ? ports.loadBalancer().registeredTargets(nlb.targetGroupArn()) : Set.<dev.relaylink.state.Target>of();
        var endpoints = ownTargets ? ports.gatewayEndpoints().ready(relay.namespace(), relay.gatewayService(), relay.port()) : Set.<dev.relaylink.state.Target>of();
        Optional<dev.relaylink.state.TargetGroupBinding> binding = controllerTargets
                ? ports.targetGroupBindings().observe(relay.namespace(), spec.targetGroupBindingName()) : Optional.empty();
        var rules = lb ? ports.loadBalancer().ingressRules(nlb.securityGroupId()) : Set.<dev.relaylink.state.IngressRule>of();
        Set<String> groups = lb ? ports.loadBalancer().securityGroups(nlb.loadBalancerArn()) : Set.of();

        boolean serverSide = concerns.contains(SERVER_CERTIFICATE) || concerns.contains(EKS_SECRETS);
        boolean clientSide = concerns.contains(CLIENT_CERTIFICATES) || concerns.contains(AKS_SECRETS);
        boolean trust = concerns.contains(TRUST_EXCHANGE);
        List<X509Certificate> serverCas = serverSide || concerns.contains(AKS_SECRETS) || trust ? ports.serverCaCertificates().certificates() : List.of();
        List<X509Certificate> clientCas = clientSide || concerns.contains(EKS_SECRETS) || trust ? ports.clientCaCertificates().certificates() : List.of();
        List<X509Certificate> clientCasInAws = trust ? ports.trustExchange().publishedClientCas() : List.of();
        List<X509Certificate> serverCasInAws = trust ? ports.trustExchange().serverCas() : List.of();
        Optional<List<X509Certificate>> serverCertificate = serverSide
                ? ports.serverCertificates().current().map(credential -> credential.chain()) : Optional.empty();
        Optional<dev.relaylink.state.PendingServerCertificate> pendingServerRotation = serverSide ? ports.serverCertificates().pendingRotation() : Optional.empty();
        Map<SpiffeId, List<X509Certificate>> clientCertificates = clientSide ? ports.clientCertificates().currentCertificates() : Map.of();

        // The revocation list: decided on the Azure side from the Key Vault versions, read on both sides as published to AWS.
        Map<SpiffeId, List<X509Certificate>> versions = trust ? ports.clientCertificates().versions() : Map.of();
        Optional<String> publishedCrl = trust || concerns.contains(EKS_SECRETS) ? publishedRevocationList(ports) : Optional.empty();
        Map<String, SecretState> eks = new HashMap<>();
        if (concerns.contains(EKS_SECRETS)) {
            ports.eks().observe(relay.namespace(), relay.tlsSecret()).ifPresent(s -> eks.put(s.key(), s));
            ports.eks().observe(relay.namespace(), relay.clientCaSecret()).ifPresent(s -> eks.put(s.key(), s));
            ports.eks().observe(relay.namespace(), relay.crlSecret()).ifPresent(s -> eks.put(s.key(), s));
        }
        Optional<GatewayClientPolicy> gatewayPolicy = concerns.contains(EKS_SECRETS)
                ? ports.gatewayPolicy().observe(relay.namespace(), relay.clientTrafficPolicy()) : Optional.empty();
        // AKS: one list per namespace of the workloads' policies and of their secrets, not a read per workload.
        Map<String, WorkloadEgressPolicy> egress = new HashMap<>();
        if (concerns.contains(AKS_NETWORK_POLICIES)) {
            byNamespace(Workload::networkPolicyName).forEach((namespace, names) -> egress.putAll(ports.networkPolicies().observeAll(namespace, names)));
        }
        Map<String, SecretState> aks = new HashMap<>();
        if (concerns.contains(AKS_SECRETS)) {
            byNamespace(Workload::secretName).forEach((namespace, names) -> aks.putAll(ports.aks().observeAll(namespace, names)));
        }

        boolean azureNetwork = concerns.contains(PRIVATE_ENDPOINTS) || concerns.contains(PRIVATE_DNS);
        var privateEndpoints = azureNetwork ? ports.privateLinkService().connections() : List.<dev.relaylink.state.PrivateEndpointConnection>of();
        Set<String> dns = concerns.contains(PRIVATE_DNS) || concerns.contains(AKS_NETWORK_POLICIES)
                ? ports.privateDns().aRecord(spec.azure().privateDns().zone(), spec.azure().privateDns().recordName()) : Set.of();

        return new ObservedState(new dev.relaylink.state.PrivateLinkState(service, connections),
                new dev.relaylink.state.LoadBalancerState(listeners, registered, endpoints, rules, groups, binding),
                new dev.relaylink.state.CertificateState(serverCas, clientCas, serverCertificate, pendingServerRotation, clientCertificates),
                new dev.relaylink.state.TrustExchangeState(clientCasInAws, serverCasInAws), new dev.relaylink.state.ClusterSecrets(eks, aks),
                new ClusterPolicies(gatewayPolicy, egress), new RevocationState(versions, publishedCrl), acknowledgements(concerns),
                new dev.relaylink.state.AzureNetworkState(privateEndpoints, dns));
    }
}
