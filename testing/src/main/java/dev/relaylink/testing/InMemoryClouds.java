package dev.relaylink.testing;

import dev.relaylink.wiring.AwsSide;
import dev.relaylink.wiring.AzureSide;
import dev.relaylink.wiring.BothSides;
import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.port.BundleAcknowledgement;
import dev.relaylink.port.PublishedCas;
import dev.relaylink.port.OwnedCa;
import dev.relaylink.port.ClientCertificateStore;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.port.EndpointServicePort;
import dev.relaylink.port.GatewayEndpoints;
import dev.relaylink.port.GatewayPolicyPort;
import dev.relaylink.port.GatewayProbe;
import dev.relaylink.port.LoadBalancerPort;
import dev.relaylink.port.CaMirror;
import dev.relaylink.port.NetworkPolicyPort;
import dev.relaylink.port.PrivateDnsPort;
import dev.relaylink.port.PrivateLinkServicePort;
import dev.relaylink.port.ServerCertificateStore;
import dev.relaylink.port.TrustExchange;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.state.GatewayClientPolicy;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.ListenerState;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.state.SecretState;
import dev.relaylink.state.Target;
import dev.relaylink.state.WorkloadEgressPolicy;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Both clouds and both clusters in memory, behind the real ports: for planner, executor and
 * use-case tests. Fields are public so a test can arrange any observed state (drift, strangers,
 * expired certificates). {@link #failOn} makes one port method throw, to test partial failure.
 *
 * <p>{@link #ports()} is one process holding both halves (each side reads the other's CAs directly);
 * {@link #awsPorts()} and {@link #azurePorts()} are the two deployments, which see each other's CA
 * certificates only through the copies the trust exchange keeps: {@link #clientCasInAws} (the AWS
 * secret the EKS gateway's bundle comes from) and {@link #serverCasInKeyVault} (the Key Vault mirror
 * the workloads' secrets carry).
 */
public final class InMemoryClouds {
    // AWS
    public EndpointServiceState service;
    public final Map<String, EndpointConnection> connections = new TreeMap<>();
    public final Map<String, ListenerState> listeners = new TreeMap<>();
    public final Set<Target> targets = new HashSet<>();
    public final Set<Target> gatewayEndpoints = new HashSet<>();
    public final Set<IngressRule> rules = new HashSet<>();
    public final Set<String> nlbSecurityGroups = new HashSet<>();
    public final Ca serverCa = new Ca();
    public final ServerStore serverCertificates = new ServerStore();
    // Azure
    public final Ca clientCa = new Ca();
    public final ClientStore clientCertificates = new ClientStore();
    public final Map<String, PrivateEndpointConnection> privateEndpoints = new TreeMap<>();
    public final Set<String> dnsRecord = new HashSet<>();
    // what crosses clouds (public CA certificates, current first)
    public final List<X509Certificate> clientCasInAws = new ArrayList<>();
    public final List<X509Certificate> serverCasInKeyVault = new ArrayList<>();
    /** The client CA's revocation list (PEM) as published to AWS beside the client CAs; null before the first. */
    public final String[] crlInAws = new String[1];
    // what each cloud confirmed its consumers' bundles hold (AWS secrets; the Azure side writes the second through the exchange)
    public final List<X509Certificate> clientCasInGateway = new ArrayList<>();
    public final List<X509Certificate> serverCasInWorkloads = new ArrayList<>();
    // clusters
    public final Cluster eks = new Cluster();
    public final Cluster aks = new Cluster();
    public final Map<String, GatewayClientPolicy> gatewayPolicies = new TreeMap<>();
    public final Map<String, WorkloadEgressPolicy> egressPolicies = new TreeMap<>();
    /** The policy ports the link is wired with: in memory unless a test sets the real fabric8 adapters. */
    public GatewayPolicyPort gatewayPolicyPort = new GatewayPolicies();
    public NetworkPolicyPort networkPolicyPort = new EgressPolicies();
    public final Map<String, dev.relaylink.state.TargetGroupBinding> targetGroupBindings = new TreeMap<>();
    /** The TargetGroupBinding port: in memory unless a test sets the fabric8 adapter. */
    public dev.relaylink.port.TargetGroupBindingPort targetGroupBindingPort = new Bindings();

    /** What the sides' rotations run with: a test sets its own spec, clock and gateway probe attempts before it takes the ports. */
    public dev.relaylink.spec.LinkSpec spec = TestSpecs.example();
    public java.time.Clock clock = java.time.Clock.systemUTC();
    public int probeAttempts = 2;

    public final List<String> calls = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private String failing;

    /** The next call of the port method named {@code method} (e.g. "accept", "applyTls") throws. */
    public void failOn(String method) {
        this.failing = method;
    }

    /** Whether a failure armed with {@link #failOn} has not fired yet. */
    public boolean failureArmed() {
        return failing != null;
    }

    private void call(String method) {
        calls.add(method);
        if (method.equals(failing)) {
            failing = null;
            throw new IllegalStateException("injected failure in " + method);
        }
    }

    /** One process holding both halves: each side reads the other's CA directly. */
    public BothSides ports() {
        return new BothSides(awsSide(() -> clientCa), azureSide(() -> serverCa, new Mirror()));
    }

    /** The AWS deployment: its own server CA, and the client CAs only as the Azure side published them. */
    public AwsSide awsPorts() {
        return awsSide(AwsClientCaCopy::new);
    }

    /** The Azure deployment: its own client CA, the server CAs from its mirror, and the trust exchange to AWS. */
    public AzureSide azurePorts() {
        Mirror mirror = new Mirror();
        return azureSide(() -> mirror, mirror);
    }

    private AwsSide awsSide(java.util.function.Supplier<? extends PublishedCas> clientCas) {
        return AwsSide.builder(spec, clock)
                .endpointService(Endpoints::new).loadBalancer(Nlb::new).gatewayEndpoints(Gateway::new)
                .serverCa(() -> serverCa).serverCertificates(() -> serverCertificates).gatewayProbe(Probe::new).eks(() -> eks)
                .gatewayPolicy(() -> gatewayPolicyPort).targetGroupBindings(() -> targetGroupBindingPort).clientCaCertificates(clientCas)
                .clientCasInGateway(GatewayAcknowledgement::new).serverCasInWorkloads(() -> () -> List.copyOf(serverCasInWorkloads))
                .probe(probeAttempts, java.time.Duration.ZERO).build();
    }

    private AzureSide azureSide(java.util.function.Supplier<? extends PublishedCas> serverCas, Mirror mirror) {
        return AzureSide.builder(spec, clock)
                .clientCa(() -> clientCa).clientCertificates(() -> clientCertificates).serverCaCertificates(serverCas).serverCaMirror(() -> mirror)
                .trustExchange(Exchange::new).privateLinkService(Pls::new).privateDns(Dns::new).aks(() -> aks)
                .networkPolicies(() -> networkPolicyPort).build();
    }

    private String newId(String prefix) {
        return prefix + "-" + ids.incrementAndGet();
    }

    final class Endpoints implements EndpointServicePort {
        public Optional<EndpointServiceState> describe(String linkName, String loadBalancerArn) {
            call("describe");
            return Optional.ofNullable(service);
        }

        public String create(String linkName, String loadBalancerArn) {
            call("create");
            service = new EndpointServiceState(newId("vpce-svc"), "com.amazonaws.vpce.test." + linkName, true, Set.of(), Set.of(loadBalancerArn));
            return service.serviceId();
        }

        public void requireAcceptance(String serviceId) {
            call("requireAcceptance");
            service = new EndpointServiceState(serviceId, service.serviceName(), true, service.allowedPrincipals(), service.loadBalancerArns());
        }

        public void replaceLoadBalancers(String serviceId, String add, Set<String> remove) {
            call("replaceLoadBalancers");
            Set<String> arns = new HashSet<>(service.loadBalancerArns());
            arns.removeAll(remove);
            arns.add(add);
            service = new EndpointServiceState(serviceId, service.serviceName(), service.acceptanceRequired(), service.allowedPrincipals(), arns);
        }

        public void modifyPermissions(String serviceId, Set<String> add, Set<String> remove) {
            call("modifyPermissions");
            Set<String> principals = new HashSet<>(service.allowedPrincipals());
            principals.removeAll(remove);
            principals.addAll(add);
            service = new EndpointServiceState(serviceId, service.serviceName(), service.acceptanceRequired(), principals, service.loadBalancerArns());
        }

        public List<EndpointConnection> connections(String serviceId) {
            call("connections");
            return List.copyOf(connections.values());
        }

        public void accept(String serviceId, List<String> vpcEndpointIds) {
            call("accept");
            vpcEndpointIds.forEach(id -> connections.computeIfPresent(id, (k, c) -> new EndpointConnection(id, c.owner(), EndpointConnection.AVAILABLE)));
        }

        public void reject(String serviceId, List<String> vpcEndpointIds) {
            call("reject");
            vpcEndpointIds.forEach(id -> connections.computeIfPresent(id, (k, c) -> new EndpointConnection(id, c.owner(), EndpointConnection.REJECTED)));
        }
    }

    final class Nlb implements LoadBalancerPort {
        public List<ListenerState> listeners(String loadBalancerArn) {
            call("listeners");
            return List.copyOf(listeners.values());
        }

        public void deleteListener(String listenerArn) {
            call("deleteListener");
            listeners.remove(listenerArn);
        }

        public void createListener(String loadBalancerArn, int port, String targetGroupArn) {
            call("createListener");
            String arn = newId(loadBalancerArn + "/listener");
            listeners.put(arn, new ListenerState(arn, port, "TCP", targetGroupArn));
        }

        public Set<Target> registeredTargets(String targetGroupArn) {
            call("registeredTargets");
            return Set.copyOf(targets);
        }

        public void register(String targetGroupArn, Set<Target> add) {
            call("register");
            targets.addAll(add);
        }

        public void deregister(String targetGroupArn, Set<Target> remove) {
            call("deregister");
            targets.removeAll(remove);
        }

        public Set<String> securityGroups(String loadBalancerArn) {
            call("securityGroups");
            return Set.copyOf(nlbSecurityGroups);
        }

        public void setSecurityGroups(String loadBalancerArn, Set<String> securityGroupIds) {
            call("setSecurityGroups");
            nlbSecurityGroups.clear();
            nlbSecurityGroups.addAll(securityGroupIds);
        }

        public Set<IngressRule> ingressRules(String securityGroupId) {
            call("ingressRules");
            return Set.copyOf(rules);
        }

        public void authorize(String securityGroupId, Set<IngressRule> add) {
            call("authorize");
            rules.addAll(add);
        }

        public void revoke(String securityGroupId, Set<IngressRule> remove) {
            call("revoke");
            rules.removeAll(remove);
        }
    }

    final class Gateway implements GatewayEndpoints {
        public Set<Target> ready(String namespace, String service, int port) {
            return Set.copyOf(gatewayEndpoints);
        }
    }

    /** The gateway serves whatever the EKS TLS secret holds, as Envoy Gateway does after a reload. */
    final class Probe implements GatewayProbe {
        public String namespace = "relay";
        public String name = "relay-server-tls";

        public List<X509Certificate> servedChain(String hostName) throws java.io.IOException {
            call("servedChain");
            Map<String, String> data = eks.data.get(namespace + "/" + name);
            if (data == null) {
                throw new java.io.IOException("the gateway has no certificate");
            }
            return Pem.readCertificates(data.get("tls.crt"));
        }
    }

    /** A side's CA generations, each on its own in-memory key (KMS or Key Vault in the clouds); the list as the core orders it. */
    public final class Ca implements OwnedCa {
        public final Map<String, CertificateAuthority> authorities = new LinkedHashMap<>();
        public final List<X509Certificate> published = new ArrayList<>();
        /** Certificates of the generations whose keys were retired (KMS: scheduled for deletion; Key Vault: disabled). */
        public final List<X509Certificate> retired = new ArrayList<>();

        public List<X509Certificate> certificates() {
            return List.copyOf(published);
        }

        public Optional<CertificateAuthority> current() {
            return published.isEmpty() ? Optional.empty() : Optional.of(authorities.get(Certificates.fingerprint(published.getFirst())));
        }

        public CertificateAuthority create(String commonName, Instant now, Duration lifetime) {
            call("createCa");
            CertificateAuthority ca = CertificateAuthority.selfSigned(InMemorySigner.generate(), commonName, now, lifetime);
            authorities.put(Certificates.fingerprint(ca.certificate()), ca);
            call("publishCa");
            replace(CaGenerations.withCreated(published, ca.certificate()));
            return ca;
        }

        public void startIssuing(X509Certificate ca) {
            call("startIssuing");
            replace(CaGenerations.withIssuing(published, ca));
        }

        public void retire(X509Certificate ca) {
            call("retireKey");
            if (CaGenerations.find(retired, ca).isEmpty()) {
                retired.add(ca);
            }
            call("unpublishCa");
            replace(CaGenerations.withRetired(published, ca));
        }

        private void replace(List<X509Certificate> list) {
            published.clear();
            published.addAll(list);
        }
    }

    public final class ServerStore implements ServerCertificateStore {
        public final Map<String, Credential> versions = new LinkedHashMap<>();
        public String currentToken;
        public String pendingToken;
        /** When the pending version was put (tests set the time a rotation began). */
        public Instant pendingSince = Instant.EPOCH;

        public Optional<Credential> current() {
            return Optional.ofNullable(currentToken).map(versions::get);
        }

        public Optional<Credential> pending(String token) {
            return token.equals(pendingToken) ? Optional.ofNullable(versions.get(token)) : Optional.empty();
        }

        public void putPending(String token, Credential credential) {
            call("putPending");
            versions.putIfAbsent(token, credential);
            pendingToken = token;
        }

        public void promote(String token) {
            call("promote");
            currentToken = token;
            pendingToken = null;
        }

        public Optional<String> currentToken() {
            return Optional.ofNullable(currentToken);
        }

        public Optional<dev.relaylink.state.PendingServerCertificate> pendingRotation() {
            return pendingToken == null || pendingToken.equals(currentToken) ? Optional.empty()
                    : Optional.of(new dev.relaylink.state.PendingServerCertificate(
                            dev.relaylink.pki.Certificates.fingerprint(versions.get(pendingToken).leaf()), pendingSince));
        }
    }

    public final class ClientStore implements ClientCertificateStore {
        public final Map<SpiffeId, List<Credential>> versions = new HashMap<>();

        public Map<SpiffeId, List<X509Certificate>> currentCertificates() {
            Map<SpiffeId, List<X509Certificate>> result = new HashMap<>();
            versions.forEach((id, list) -> result.put(id, list.getLast().chain()));
            return result;
        }

        public Optional<Credential> current(SpiffeId workload) {
            List<Credential> list = versions.get(workload);
            return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.getLast());
        }

        public Map<SpiffeId, List<X509Certificate>> versions() {
            Map<SpiffeId, List<X509Certificate>> result = new HashMap<>();
            versions.forEach((id, list) -> result.put(id, list.stream().map(Credential::leaf).toList()));
            return result;
        }

        public void importVersion(SpiffeId workload, Credential credential) {
            call("importVersion");
            versions.computeIfAbsent(workload, k -> new ArrayList<>()).add(credential);
        }
    }

    /** The AWS secret with the client CA certificates, as the AWS side reads it. */
    final class AwsClientCaCopy implements PublishedCas {
        public List<X509Certificate> certificates() {
            return List.copyOf(clientCasInAws);
        }

        public Optional<String> revocationList() {
            return Optional.ofNullable(crlInAws[0]);
        }
    }

    /** The Azure side's federated view of the AWS secrets. */
    final class Exchange implements TrustExchange {
        public List<X509Certificate> publishedClientCas() {
            call("publishedClientCas");
            return List.copyOf(clientCasInAws);
        }

        public boolean publishClientCas(List<X509Certificate> certificates) {
            call("publishClientCas");
            if (certificates.equals(clientCasInAws)) {
                return false;
            }
            clientCasInAws.clear();
            clientCasInAws.addAll(certificates);
            return true;
        }

        public Optional<String> publishedRevocationList() {
            return Optional.ofNullable(crlInAws[0]);
        }

        public boolean publishRevocationList(String crlPem) {
            call("publishRevocationList");
            if (crlPem.equals(crlInAws[0])) {
                return false;
            }
            crlInAws[0] = crlPem;
            return true;
        }

        public List<X509Certificate> serverCas() {
            return serverCa.certificates();
        }

        public List<X509Certificate> clientCasInGateway() {
            call("clientCasInGateway");
            return List.copyOf(clientCasInGateway);
        }

        public List<X509Certificate> serverCasInWorkloads() {
            return List.copyOf(serverCasInWorkloads);
        }

        public boolean acknowledgeServerCasInWorkloads(List<X509Certificate> certificates) {
            call("acknowledgeServerCas");
            return replaceAll(serverCasInWorkloads, certificates);
        }
    }

    /** The AWS secret where the AWS side confirms the client CAs its gateway's bundle holds. */
    final class GatewayAcknowledgement implements BundleAcknowledgement {
        public List<X509Certificate> certificates() {
            return List.copyOf(clientCasInGateway);
        }

        public boolean acknowledge(List<X509Certificate> certificates) {
            call("acknowledgeClientCas");
            return replaceAll(clientCasInGateway, certificates);
        }
    }

    private static boolean replaceAll(List<X509Certificate> list, List<X509Certificate> certificates) {
        if (certificates.equals(list)) {
            return false;
        }
        list.clear();
        list.addAll(certificates);
        return true;
    }

    /** The Key Vault secret with the mirrored server CA certificates. */
    final class Mirror implements CaMirror {
        public List<X509Certificate> certificates() {
            return List.copyOf(serverCasInKeyVault);
        }

        public boolean mirror(List<X509Certificate> certificates) {
            call("mirrorServerCas");
            if (certificates.equals(serverCasInKeyVault)) {
                return false;
            }
            serverCasInKeyVault.clear();
            serverCasInKeyVault.addAll(certificates);
            return true;
        }
    }

    final class Pls implements PrivateLinkServicePort {
        public List<PrivateEndpointConnection> connections() {
            call("plsConnections");
            return List.copyOf(privateEndpoints.values());
        }

        public Optional<PrivateEndpointConnection> connection(String name) {
            return Optional.ofNullable(privateEndpoints.get(name));
        }

        public void approve(String name, String description) {
            call("approve");
            setStatus(name, PrivateEndpointConnection.APPROVED);
        }

        public void reject(String name, String description) {
            call("rejectPrivateEndpoint");
            setStatus(name, PrivateEndpointConnection.REJECTED);
        }

        private void setStatus(String name, String status) {
            privateEndpoints.computeIfPresent(name, (k, c) -> new PrivateEndpointConnection(c.name(), c.privateEndpointId(), c.subscriptionId(),
                    c.vnetId(), status, c.privateIp()));
        }
    }

    final class Dns implements PrivateDnsPort {
        public Set<String> aRecord(String zone, String recordName) {
            return Set.copyOf(dnsRecord);
        }

        public void setARecord(String zone, String recordName, Set<String> ipv4) {
            call("setARecord");
            dnsRecord.clear();
            dnsRecord.addAll(ipv4);
        }
    }

    /** The EKS gateway's ClientTrafficPolicies, as relay-link reads them back, keyed namespace/name. */
    final class GatewayPolicies implements GatewayPolicyPort {
        public Optional<GatewayClientPolicy> observe(String namespace, String name) {
            return Optional.ofNullable(gatewayPolicies.get(namespace + "/" + name));
        }

        public boolean apply(GatewayClientPolicy policy) {
            call("applyGatewayPolicy");
            return !policy.equals(gatewayPolicies.put(policy.key(), policy));
        }
    }

    /** The EKS TargetGroupBindings, keyed namespace/name. */
    final class Bindings implements dev.relaylink.port.TargetGroupBindingPort {
        public Optional<dev.relaylink.state.TargetGroupBinding> observe(String namespace, String name) {
            return Optional.ofNullable(targetGroupBindings.get(namespace + "/" + name));
        }

        public boolean apply(dev.relaylink.state.TargetGroupBinding binding) {
            call("applyTargetGroupBinding");
            return !binding.equals(targetGroupBindings.put(binding.key(), binding));
        }
    }

    /** The workloads' egress NetworkPolicies in AKS, keyed namespace/name. */
    final class EgressPolicies implements NetworkPolicyPort {
        public Optional<WorkloadEgressPolicy> observe(String namespace, String name) {
            return Optional.ofNullable(egressPolicies.get(namespace + "/" + name));
        }

        public boolean apply(WorkloadEgressPolicy policy) {
            call("applyEgressPolicy");
            return !policy.equals(egressPolicies.put(policy.key(), policy));
        }
    }

    /** A cluster's managed Secrets, as data maps; writes are counted. */
    public final class Cluster implements ClusterSecrets {
        public final Map<String, Map<String, String>> data = new HashMap<>();
        public final Map<String, String> fingerprints = new HashMap<>();
        public int writes;

        public Optional<SecretState> observe(String namespace, String name) {
            return state(namespace, name);
        }

        private Optional<SecretState> state(String namespace, String name) {
            Map<String, String> values = data.get(namespace + "/" + name);
            if (values == null) {
                return Optional.empty();
            }
            Map<String, String> hashes = new HashMap<>();
            values.forEach((k, v) -> hashes.put(k, SecretState.sha256Hex(v)));
            return Optional.of(new SecretState(namespace, name, hashes, fingerprints.get(namespace + "/" + name)));
        }

        public boolean applyTls(String namespace, String name, Credential credential, Optional<TrustBundle> trusted) {
            call("applyTls");
            Map<String, String> values = new HashMap<>();
            values.put("tls.crt", Pem.write(credential.chain()));
            values.put("tls.key", Pem.write(credential.key()));
            trusted.ifPresent(bundle -> values.put("ca.crt", bundle.pem()));
            fingerprints.put(namespace + "/" + name, Certificates.fingerprint(credential.leaf()));
            return put(namespace, name, values);
        }

        public boolean applyCaBundle(String namespace, String name, TrustBundle bundle) {
            call("applyCaBundle");
            return put(namespace, name, Map.of("ca.crt", bundle.pem()));
        }

        public boolean applyRevocationList(String namespace, String name, String crlPem) {
            call("applyRevocationList");
            return put(namespace, name, Map.of("ca.crl", crlPem));
        }

        private boolean put(String namespace, String name, Map<String, String> values) {
            if (values.equals(data.get(namespace + "/" + name))) {
                return false;
            }
            data.put(namespace + "/" + name, values);
            writes++;
            return true;
        }

    }
}
