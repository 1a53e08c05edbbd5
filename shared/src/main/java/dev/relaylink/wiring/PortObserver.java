package dev.relaylink.wiring;

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

import dev.relaylink.failure.ConfigurationFailure;
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

/**
 * Reads, through a side's ports, exactly the parts of the link that the given concerns need. A
 * concern is read from the side that runs it; the reconciler asks a side only for its own.
 */
public final class PortObserver {
    private final LinkSpec spec;
    private final Side side;

    public PortObserver(LinkSpec spec, Side side) {
        this.spec = spec;
        this.side = side;
    }

    /** The client CA's revocation list as published to AWS: through the trust exchange where a side has it, else beside the client CAs. */
    public static Optional<String> publishedRevocationList(Side side) {
        return side.azure().map(azure -> azure.trustExchange().publishedRevocationList())
                .orElseGet(() -> aws(side).clientCaCertificates().revocationList());
    }

    /** Each confirmation from where this side reads it: its own store on AWS, the trust exchange on Azure. */
    private BundleAcknowledgements acknowledgements(Set<Concern> concerns) {
        if (!concerns.contains(Concern.CA_GENERATIONS)) {
            return BundleAcknowledgements.none();
        }
        boolean trust = concerns.contains(TRUST_EXCHANGE);
        Optional<AwsSide> awsSide = side.aws();
        Optional<List<X509Certificate>> inGateway = concerns.contains(EKS_SECRETS) && awsSide.isPresent()
                ? Optional.of(awsSide.get().clientCasInGateway().certificates())
                : trust ? Optional.of(azure().trustExchange().clientCasInGateway()) : Optional.empty();
        Optional<List<X509Certificate>> inWorkloads = concerns.contains(SERVER_CERTIFICATE) && awsSide.isPresent()
                ? Optional.of(awsSide.get().serverCasInWorkloads().certificates())
                : trust ? Optional.of(azure().trustExchange().serverCasInWorkloads()) : Optional.empty();
        return new BundleAcknowledgements(inGateway, inWorkloads);
    }

    private AwsSide aws() {
        return aws(side);
    }

    private static AwsSide aws(Side side) {
        return side.aws().orElseThrow(() -> new ConfigurationFailure("an AWS concern was asked of the Azure side"));
    }

    private AzureSide azure() {
        return side.azure().orElseThrow(() -> new ConfigurationFailure("an Azure concern was asked of the AWS side"));
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
            service = aws().endpointService().describe(spec.name(), nlb.loadBalancerArn());
            if (concerns.contains(ENDPOINT_CONNECTIONS) && service.isPresent()) {
                connections = aws().endpointService().connections(service.get().serviceId());
            }
        }

        boolean lb = concerns.contains(LOAD_BALANCER);
        // Targets are either the Load Balancer Controller's (from the TargetGroupBinding) or relay-link's own: never both.
        boolean ownTargets = lb && nlb.targets() == LinkSpec.Targets.RELAY_LINK;
        boolean controllerTargets = lb && nlb.targets() == LinkSpec.Targets.CONTROLLER;
        var listeners = lb ? aws().loadBalancer().listeners(nlb.loadBalancerArn()) : List.<dev.relaylink.state.ListenerState>of();
        var registered = ownTargets ? aws().loadBalancer().registeredTargets(nlb.targetGroupArn()) : Set.<dev.relaylink.state.Target>of();
        var endpoints = ownTargets ? aws().gatewayEndpoints().ready(relay.namespace(), relay.gatewayService(), relay.port()) : Set.<dev.relaylink.state.Target>of();
        Optional<dev.relaylink.state.TargetGroupBinding> binding = controllerTargets
                ? aws().targetGroupBindings().observe(relay.namespace(), spec.targetGroupBindingName()) : Optional.empty();
        var rules = lb ? aws().loadBalancer().ingressRules(nlb.securityGroupId()) : Set.<dev.relaylink.state.IngressRule>of();
        Set<String> groups = lb ? aws().loadBalancer().securityGroups(nlb.loadBalancerArn()) : Set.of();

        boolean serverSide = concerns.contains(SERVER_CERTIFICATE) || concerns.contains(EKS_SECRETS);
        boolean clientSide = concerns.contains(CLIENT_CERTIFICATES) || concerns.contains(AKS_SECRETS);
        boolean trust = concerns.contains(TRUST_EXCHANGE);
        // Each side reads the other's CA certificates from its own copy; the side that owns a CA reads it directly.
        List<X509Certificate> serverCas = serverSide ? aws().serverCaCertificates().certificates()
                : concerns.contains(AKS_SECRETS) || trust ? azure().serverCaCertificates().certificates() : List.of();
        List<X509Certificate> clientCas = clientSide || trust ? azure().clientCaCertificates().certificates()
                : concerns.contains(EKS_SECRETS) ? aws().clientCaCertificates().certificates() : List.of();
        List<X509Certificate> clientCasInAws = trust ? azure().trustExchange().publishedClientCas() : List.of();
        List<X509Certificate> serverCasInAws = trust ? azure().trustExchange().serverCas() : List.of();
        Optional<List<X509Certificate>> serverCertificate = serverSide
                ? aws().serverCertificates().current().map(credential -> credential.chain()) : Optional.empty();
        Optional<dev.relaylink.state.PendingServerCertificate> pendingServerRotation = serverSide ? aws().serverCertificates().pendingRotation() : Optional.empty();
        Map<SpiffeId, List<X509Certificate>> clientCertificates = clientSide ? azure().clientCertificates().currentCertificates() : Map.of();

        // The revocation list: decided on the Azure side from the Key Vault versions, read on both sides as published to AWS.
        Map<SpiffeId, List<X509Certificate>> versions = trust ? azure().clientCertificates().versions() : Map.of();
        Optional<String> publishedCrl = trust || concerns.contains(EKS_SECRETS) ? publishedRevocationList(side) : Optional.empty();
        Map<String, SecretState> eks = new HashMap<>();
        if (concerns.contains(EKS_SECRETS)) {
            aws().eks().observe(relay.namespace(), relay.tlsSecret()).ifPresent(s -> eks.put(s.key(), s));
            aws().eks().observe(relay.namespace(), relay.clientCaSecret()).ifPresent(s -> eks.put(s.key(), s));
            aws().eks().observe(relay.namespace(), relay.crlSecret()).ifPresent(s -> eks.put(s.key(), s));
        }
        Optional<GatewayClientPolicy> gatewayPolicy = concerns.contains(EKS_SECRETS)
                ? aws().gatewayPolicy().observe(relay.namespace(), relay.clientTrafficPolicy()) : Optional.empty();
        // AKS: one list per namespace of the workloads' policies and of their secrets, not a read per workload.
        Map<String, WorkloadEgressPolicy> egress = new HashMap<>();
        if (concerns.contains(AKS_NETWORK_POLICIES)) {
            byNamespace(Workload::networkPolicyName).forEach((namespace, names) -> egress.putAll(azure().networkPolicies().observeAll(namespace, names)));
        }
        Map<String, SecretState> aks = new HashMap<>();
        if (concerns.contains(AKS_SECRETS)) {
            byNamespace(Workload::secretName).forEach((namespace, names) -> aks.putAll(azure().aks().observeAll(namespace, names)));
        }

        boolean azureNetwork = concerns.contains(PRIVATE_ENDPOINTS) || concerns.contains(PRIVATE_DNS);
        var privateEndpoints = azureNetwork ? azure().privateLinkService().connections() : List.<dev.relaylink.state.PrivateEndpointConnection>of();
        Set<String> dns = concerns.contains(PRIVATE_DNS) || concerns.contains(AKS_NETWORK_POLICIES)
                ? azure().privateDns().aRecord(spec.azure().privateDns().zone(), spec.azure().privateDns().recordName()) : Set.of();

        return new ObservedState(new dev.relaylink.state.PrivateLinkState(service, connections),
                new dev.relaylink.state.LoadBalancerState(listeners, registered, endpoints, rules, groups, binding),
                new dev.relaylink.state.CertificateState(serverCas, clientCas, serverCertificate, pendingServerRotation, clientCertificates),
                new dev.relaylink.state.TrustExchangeState(clientCasInAws, serverCasInAws), new dev.relaylink.state.ClusterSecretsState(eks, aks),
                new ClusterPolicies(gatewayPolicy, egress), new RevocationState(versions, publishedCrl), acknowledgements(concerns),
                new dev.relaylink.state.AzureNetworkState(privateEndpoints, dns));
    }
}
