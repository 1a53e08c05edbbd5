package dev.relaylink.link;

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
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.state.ObservedState;
import dev.relaylink.state.SecretState;
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
        var listeners = lb ? ports.loadBalancer().listeners(nlb.loadBalancerArn()) : List.<dev.relaylink.state.ListenerState>of();
        var registered = lb ? ports.loadBalancer().registeredTargets(nlb.targetGroupArn()) : Set.<dev.relaylink.state.Target>of();
        var endpoints = lb ? ports.gatewayEndpoints().ready(relay.namespace(), relay.gatewayService(), relay.port()) : Set.<dev.relaylink.state.Target>of();
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
        Map<SpiffeId, List<X509Certificate>> clientCertificates = clientSide ? ports.clientCertificates().currentCertificates() : Map.of();

        Map<String, SecretState> eks = new HashMap<>();
        if (concerns.contains(EKS_SECRETS)) {
            ports.eks().observe(relay.namespace(), relay.tlsSecret()).ifPresent(s -> eks.put(s.key(), s));
            ports.eks().observe(relay.namespace(), relay.clientCaSecret()).ifPresent(s -> eks.put(s.key(), s));
            ports.eks().observeAllowList(relay.namespace(), relay.allowListConfigMap()).ifPresent(s -> eks.put(s.key(), s));
        }
        Map<String, SecretState> aks = new HashMap<>();
        if (concerns.contains(AKS_SECRETS)) {
            // One list per namespace, not a read per workload.
            Map<String, Set<String>> secretsByNamespace = new java.util.TreeMap<>();
            for (Workload workload : spec.workloads()) {
                secretsByNamespace.computeIfAbsent(workload.namespace(), ns -> new java.util.TreeSet<>()).add(workload.secretName());
            }
            secretsByNamespace.forEach((namespace, names) -> aks.putAll(ports.aks().observeAll(namespace, names)));
        }

        boolean azureNetwork = concerns.contains(PRIVATE_ENDPOINTS) || concerns.contains(PRIVATE_DNS);
        var privateEndpoints = azureNetwork ? ports.privateLinkService().connections() : List.<dev.relaylink.state.PrivateEndpointConnection>of();
        Set<String> dns = concerns.contains(PRIVATE_DNS)
                ? ports.privateDns().aRecord(spec.azure().privateDns().zone(), spec.azure().privateDns().recordName()) : Set.of();

        return new ObservedState(service, connections, listeners, registered, endpoints, rules, groups, serverCas, clientCas,
                serverCertificate, clientCertificates, privateEndpoints, dns, eks, aks, clientCasInAws, serverCasInAws);
    }
}
