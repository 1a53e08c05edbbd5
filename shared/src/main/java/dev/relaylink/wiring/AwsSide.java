package dev.relaylink.wiring;

import dev.relaylink.usecase.ServerCertificateRotation;
import dev.relaylink.plan.Concern;
import dev.relaylink.port.BundleAcknowledgement;
import dev.relaylink.port.PublishedCas;
import dev.relaylink.port.OwnedCa;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.port.EndpointServicePort;
import dev.relaylink.port.GatewayEndpoints;
import dev.relaylink.port.GatewayPolicyPort;
import dev.relaylink.port.GatewayProbe;
import dev.relaylink.port.LoadBalancerPort;
import dev.relaylink.port.ServerCertificateStore;
import dev.relaylink.port.TargetGroupBindingPort;
import dev.relaylink.spec.LinkSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The AWS deployment's ports, every one of them, each built on first use (a Lambda container
 * builds only the SDK and Kubernetes clients its handler touches), and the server certificate
 * rotation over them. It owns the server CA; the client CAs it reads as the Azure side published
 * them, with their revocation list.
 */
public final class AwsSide implements Side {
    private final LinkSpec spec;
    private final Lazy<EndpointServicePort> endpointService;
    private final Lazy<LoadBalancerPort> loadBalancer;
    private final Lazy<GatewayEndpoints> gatewayEndpoints;
    private final Lazy<TargetGroupBindingPort> targetGroupBindings;
    private final Lazy<OwnedCa> serverCa;
    private final Lazy<ServerCertificateStore> serverCertificates;
    private final Lazy<GatewayProbe> gatewayProbe;
    private final Lazy<ClusterSecrets> eks;
    private final Lazy<GatewayPolicyPort> gatewayPolicy;
    private final Lazy<PublishedCas> clientCaCertificates;
    private final Lazy<BundleAcknowledgement> clientCasInGateway;
    private final Lazy<PublishedCas> serverCasInWorkloads;
    private final Lazy<ServerCertificateRotation> serverRotation;

    private AwsSide(Builder b) {
        this.spec = b.spec;
        this.endpointService = b.endpointService;
        this.loadBalancer = b.loadBalancer;
        this.gatewayEndpoints = b.gatewayEndpoints;
        this.targetGroupBindings = b.targetGroupBindings;
        this.serverCa = b.serverCa;
        this.serverCertificates = b.serverCertificates;
        this.gatewayProbe = b.gatewayProbe;
        this.eks = b.eks;
        this.gatewayPolicy = b.gatewayPolicy;
        this.clientCaCertificates = b.clientCaCertificates;
        this.clientCasInGateway = b.clientCasInGateway;
        this.serverCasInWorkloads = b.serverCasInWorkloads;
        this.serverRotation = Lazy.of(() -> new ServerCertificateRotation(b.spec, serverCa(), serverCertificates(), eks(), gatewayProbe(),
                b.clock, b.probeAttempts, b.probeInterval));
    }

    /** Every port is required: a side built without one fails here, naming it, not at its first event. */
    public static Builder builder(LinkSpec spec, Clock clock) {
        return new Builder(spec, clock);
    }

    @Override
    public Set<Concern> concerns() {
        return Concern.AWS;
    }

    /**
     * Builds now the ports that handling these concerns uses, and nothing else: a handler calls this
     * in its init, so its first event does not pay for them and no container builds a client its
     * handler never calls.
     */
    public AwsSide prepare(Set<Concern> concerns) {
        for (Concern concern : concerns) {
            switch (concern) {
                case ENDPOINT_SERVICE, ENDPOINT_CONNECTIONS -> endpointService();
                case LOAD_BALANCER -> {
                    loadBalancer();
                    if (spec.aws().nlb().targets() == LinkSpec.Targets.CONTROLLER) {
                        targetGroupBindings();
                    } else {
                        gatewayEndpoints();
                    }
                }
                case SERVER_CERTIFICATE -> {
                    serverCa();
                    serverCertificates();
                }
                case EKS_SECRETS -> {
                    eks();
                    serverCertificates();
                    clientCaCertificates();
                }
                case CA_GENERATIONS -> {
                    serverCa();
                    clientCasInGateway();
                    serverCasInWorkloads();
                }
                case CLIENT_CERTIFICATES, PRIVATE_ENDPOINTS, PRIVATE_DNS, AKS_SECRETS, TRUST_EXCHANGE, AKS_NETWORK_POLICIES -> {
                    // the Azure side's concerns: no port here
                }
            }
        }
        return this;
    }

    public EndpointServicePort endpointService() {
        return endpointService.get();
    }

    public LoadBalancerPort loadBalancer() {
        return loadBalancer.get();
    }

    /** The EKS gateway's ready pod endpoints: the targets relay-link registers itself (targets: relay-link). */
    public GatewayEndpoints gatewayEndpoints() {
        return gatewayEndpoints.get();
    }

    /** The TargetGroupBinding the Load Balancer Controller registers the gateway pods from (targets: controller). */
    public TargetGroupBindingPort targetGroupBindings() {
        return targetGroupBindings.get();
    }

    public OwnedCa serverCa() {
        return serverCa.get();
    }

    /** The server CA certificates: this side's own CA's. */
    public PublishedCas serverCaCertificates() {
        return serverCa.get();
    }

    public ServerCertificateStore serverCertificates() {
        return serverCertificates.get();
    }

    public GatewayProbe gatewayProbe() {
        return gatewayProbe.get();
    }

    public ClusterSecrets eks() {
        return eks.get();
    }

    /** The EKS gateway's ClientTrafficPolicy. */
    public GatewayPolicyPort gatewayPolicy() {
        return gatewayPolicy.get();
    }

    /** The client CA certificates and the revocation list the Azure side publishes beside them. */
    public PublishedCas clientCaCertificates() {
        return clientCaCertificates.get();
    }

    /** Where this side confirms the client CAs its gateway's bundle holds. */
    public BundleAcknowledgement clientCasInGateway() {
        return clientCasInGateway.get();
    }

    /** The Azure side's confirmation of the server CAs its workloads' bundles hold. */
    public PublishedCas serverCasInWorkloads() {
        return serverCasInWorkloads.get();
    }

    public ServerCertificateRotation serverRotation() {
        return serverRotation.get();
    }

    /** Named setters, each given what builds its port on first use. */
    public static final class Builder {
        private final LinkSpec spec;
        private final Clock clock;
        private int probeAttempts = 10;
        private Duration probeInterval = Duration.ofSeconds(3);
        private Lazy<EndpointServicePort> endpointService;
        private Lazy<LoadBalancerPort> loadBalancer;
        private Lazy<GatewayEndpoints> gatewayEndpoints;
        private Lazy<TargetGroupBindingPort> targetGroupBindings;
        private Lazy<OwnedCa> serverCa;
        private Lazy<ServerCertificateStore> serverCertificates;
        private Lazy<GatewayProbe> gatewayProbe;
        private Lazy<ClusterSecrets> eks;
        private Lazy<GatewayPolicyPort> gatewayPolicy;
        private Lazy<PublishedCas> clientCaCertificates;
        private Lazy<BundleAcknowledgement> clientCasInGateway;
        private Lazy<PublishedCas> serverCasInWorkloads;

        private Builder(LinkSpec spec, Clock clock) {
            this.spec = spec;
            this.clock = clock;
        }

        public Builder endpointService(Supplier<? extends EndpointServicePort> port) { endpointService = Lazy.of(port); return this; }
        public Builder loadBalancer(Supplier<? extends LoadBalancerPort> port) { loadBalancer = Lazy.of(port); return this; }
        public Builder gatewayEndpoints(Supplier<? extends GatewayEndpoints> port) { gatewayEndpoints = Lazy.of(port); return this; }
        public Builder targetGroupBindings(Supplier<? extends TargetGroupBindingPort> port) { targetGroupBindings = Lazy.of(port); return this; }
        public Builder serverCa(Supplier<? extends OwnedCa> port) { serverCa = Lazy.of(port); return this; }
        public Builder serverCertificates(Supplier<? extends ServerCertificateStore> port) { serverCertificates = Lazy.of(port); return this; }
        public Builder gatewayProbe(Supplier<? extends GatewayProbe> port) { gatewayProbe = Lazy.of(port); return this; }
        public Builder eks(Supplier<? extends ClusterSecrets> port) { eks = Lazy.of(port); return this; }
        public Builder gatewayPolicy(Supplier<? extends GatewayPolicyPort> port) { gatewayPolicy = Lazy.of(port); return this; }
        public Builder clientCaCertificates(Supplier<? extends PublishedCas> port) { clientCaCertificates = Lazy.of(port); return this; }
        public Builder clientCasInGateway(Supplier<? extends BundleAcknowledgement> port) { clientCasInGateway = Lazy.of(port); return this; }
        public Builder serverCasInWorkloads(Supplier<? extends PublishedCas> port) { serverCasInWorkloads = Lazy.of(port); return this; }

        /** How often the server rotation probes the gateway for the new certificate before it gives up (and retries later). */
        public Builder probe(int attempts, Duration interval) {
            this.probeAttempts = attempts;
            this.probeInterval = interval;
            return this;
        }

        public AwsSide build() {
            List<String> missing = new ArrayList<>();
            if (endpointService == null) missing.add("endpointService");
            if (loadBalancer == null) missing.add("loadBalancer");
            if (gatewayEndpoints == null) missing.add("gatewayEndpoints");
            if (targetGroupBindings == null) missing.add("targetGroupBindings");
            if (serverCa == null) missing.add("serverCa");
            if (serverCertificates == null) missing.add("serverCertificates");
            if (gatewayProbe == null) missing.add("gatewayProbe");
            if (eks == null) missing.add("eks");
            if (gatewayPolicy == null) missing.add("gatewayPolicy");
            if (clientCaCertificates == null) missing.add("clientCaCertificates");
            if (clientCasInGateway == null) missing.add("clientCasInGateway");
            if (serverCasInWorkloads == null) missing.add("serverCasInWorkloads");
            Side.requireComplete("AWS", missing);
            return new AwsSide(this);
        }
    }
}
