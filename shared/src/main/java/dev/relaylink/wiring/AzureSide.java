package dev.relaylink.wiring;

import dev.relaylink.usecase.ClientCertificateRotation;
import dev.relaylink.plan.Concern;
import dev.relaylink.port.PublishedCas;
import dev.relaylink.port.OwnedCa;
import dev.relaylink.port.ClientCertificateStore;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.port.CaMirror;
import dev.relaylink.port.NetworkPolicyPort;
import dev.relaylink.port.PrivateDnsPort;
import dev.relaylink.port.PrivateLinkServicePort;
import dev.relaylink.port.TrustExchange;
import dev.relaylink.spec.LinkSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Azure deployment's ports, every one of them, each built on first use, and the client
 * certificate rotation over them. It owns the client CA; the server CAs it reads from its own
 * mirror, which the trust exchange with AWS keeps equal to what the AWS side publishes.
 */
public final class AzureSide implements Side {
    private final Lazy<OwnedCa> clientCa;
    private final Lazy<ClientCertificateStore> clientCertificates;
    private final Lazy<PublishedCas> serverCaCertificates;
    private final Lazy<CaMirror> serverCaMirror;
    private final Lazy<TrustExchange> trustExchange;
    private final Lazy<PrivateLinkServicePort> privateLinkService;
    private final Lazy<PrivateDnsPort> privateDns;
    private final Lazy<ClusterSecrets> aks;
    private final Lazy<NetworkPolicyPort> networkPolicies;
    private final Lazy<ClientCertificateRotation> clientRotation;

    private AzureSide(Builder b) {
        this.clientCa = b.clientCa;
        this.clientCertificates = b.clientCertificates;
        this.serverCaMirror = b.serverCaMirror;
        this.serverCaCertificates = b.serverCaCertificates != null ? b.serverCaCertificates : Lazy.of(b.serverCaMirror);
        this.trustExchange = b.trustExchange;
        this.privateLinkService = b.privateLinkService;
        this.privateDns = b.privateDns;
        this.aks = b.aks;
        this.networkPolicies = b.networkPolicies;
        this.clientRotation = Lazy.of(() -> new ClientCertificateRotation(b.spec, clientCa(), clientCertificates(), serverCaCertificates(),
                aks(), b.clock));
    }

    /** Every port is required: a side built without one fails here, naming it, not at its first event. */
    public static Builder builder(LinkSpec spec, Clock clock) {
        return new Builder(spec, clock);
    }

    @Override
    public Set<Concern> concerns() {
        return Concern.AZURE;
    }

    public OwnedCa clientCa() {
        return clientCa.get();
    }

    /** The client CA certificates: this side's own CA's. */
    public PublishedCas clientCaCertificates() {
        return clientCa.get();
    }

    public ClientCertificateStore clientCertificates() {
        return clientCertificates.get();
    }

    /** The server CA certificates as this side's use cases read them: its mirror, unless set otherwise. */
    public PublishedCas serverCaCertificates() {
        return serverCaCertificates.get();
    }

    /** Where the trust exchange writes the server CAs the AWS side publishes. */
    public CaMirror serverCaMirror() {
        return serverCaMirror.get();
    }

    public TrustExchange trustExchange() {
        return trustExchange.get();
    }

    public PrivateLinkServicePort privateLinkService() {
        return privateLinkService.get();
    }

    public PrivateDnsPort privateDns() {
        return privateDns.get();
    }

    public ClusterSecrets aks() {
        return aks.get();
    }

    /** The workloads' egress NetworkPolicies in AKS. */
    public NetworkPolicyPort networkPolicies() {
        return networkPolicies.get();
    }

    public ClientCertificateRotation clientRotation() {
        return clientRotation.get();
    }

    /** Named setters, each given what builds its port on first use. */
    public static final class Builder {
        private final LinkSpec spec;
        private final Clock clock;
        private Lazy<OwnedCa> clientCa;
        private Lazy<ClientCertificateStore> clientCertificates;
        private Lazy<PublishedCas> serverCaCertificates;
        private Lazy<CaMirror> serverCaMirror;
        private Lazy<TrustExchange> trustExchange;
        private Lazy<PrivateLinkServicePort> privateLinkService;
        private Lazy<PrivateDnsPort> privateDns;
        private Lazy<ClusterSecrets> aks;
        private Lazy<NetworkPolicyPort> networkPolicies;

        private Builder(LinkSpec spec, Clock clock) {
            this.spec = spec;
            this.clock = clock;
        }

        public Builder clientCa(Supplier<? extends OwnedCa> port) { clientCa = Lazy.of(port); return this; }
        public Builder clientCertificates(Supplier<? extends ClientCertificateStore> port) { clientCertificates = Lazy.of(port); return this; }
        /** Only where the server CAs are read elsewhere than the mirror (one process holding both sides reads the AWS side's own). */
        public Builder serverCaCertificates(Supplier<? extends PublishedCas> port) { serverCaCertificates = Lazy.of(port); return this; }
        public Builder serverCaMirror(Supplier<? extends CaMirror> port) { serverCaMirror = Lazy.of(port); return this; }
        public Builder trustExchange(Supplier<? extends TrustExchange> port) { trustExchange = Lazy.of(port); return this; }
        public Builder privateLinkService(Supplier<? extends PrivateLinkServicePort> port) { privateLinkService = Lazy.of(port); return this; }
        public Builder privateDns(Supplier<? extends PrivateDnsPort> port) { privateDns = Lazy.of(port); return this; }
        public Builder aks(Supplier<? extends ClusterSecrets> port) { aks = Lazy.of(port); return this; }
        public Builder networkPolicies(Supplier<? extends NetworkPolicyPort> port) { networkPolicies = Lazy.of(port); return this; }

        public AzureSide build() {
            List<String> missing = new ArrayList<>();
            if (clientCa == null) missing.add("clientCa");
            if (clientCertificates == null) missing.add("clientCertificates");
            if (serverCaMirror == null) missing.add("serverCaMirror");
            if (trustExchange == null) missing.add("trustExchange");
            if (privateLinkService == null) missing.add("privateLinkService");
            if (privateDns == null) missing.add("privateDns");
            if (aks == null) missing.add("aks");
            if (networkPolicies == null) missing.add("networkPolicies");
            Side.requireComplete("Azure", missing);
            return new AzureSide(this);
        }
    }
}
