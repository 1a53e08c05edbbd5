package dev.relaylink.aws;

import dev.relaylink.failure.ConfigurationFailure;
import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.adapter.AwsClients;
import dev.relaylink.aws.adapter.DynamoDbIdempotencyStore;
import dev.relaylink.aws.adapter.DynamoDbLinkLock;
import dev.relaylink.aws.adapter.Ec2EndpointService;
import dev.relaylink.aws.adapter.EksToken;
import dev.relaylink.aws.adapter.ElbLoadBalancer;
import dev.relaylink.aws.adapter.KmsOwnedCa;
import dev.relaylink.aws.adapter.KmsSigner;
import dev.relaylink.aws.adapter.AwsMetrics;
import dev.relaylink.aws.adapter.SecretsManagerPublishedCas;
import dev.relaylink.aws.adapter.SecretsManagerServerCertificateStore;
import dev.relaylink.aws.adapter.ServerCaKeyPolicy;
import dev.relaylink.k8s.KubernetesClients;
import dev.relaylink.k8s.KubernetesClusterSecrets;
import dev.relaylink.k8s.KubernetesGatewayEndpoints;
import dev.relaylink.k8s.KubernetesGatewayPolicy;
import dev.relaylink.k8s.KubernetesTargetGroupBindings;
import dev.relaylink.wiring.AwsSide;
import dev.relaylink.policy.ClaimPolicy;
import dev.relaylink.wiring.Lazy;
import dev.relaylink.pki.CaGenerations;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.usecase.ServerCertificateRotation;
import dev.relaylink.plan.Concern;
import dev.relaylink.port.GatewayProbe;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.tls.TlsGatewayProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The composition root of the AWS functions: the link spec, the AWS adapters, the EKS client and
 * the core use cases, one per Lambda container, from the environment. The spec and the use cases
 * are built with it; each adapter with its SDK or Kubernetes client is built on first use, and a
 * handler builds those it uses in its init ({@link #prepare}). Tests build it with {@link #create}
 * against the AWS emulator and a mock EKS API.
 */
public final class AwsFunctions {
    public static final String TABLE_VARIABLE = "RELAY_LINK_TABLE";
    public static final String EKS_ENDPOINT_VARIABLE = "EKS_CLUSTER_ENDPOINT";
    public static final String EKS_CA_VARIABLE = "EKS_CLUSTER_CA";
    public static final String GATEWAY_ADDRESS_VARIABLE = "RELAY_GATEWAY_ADDRESS";
    public static final String ENDPOINT_SERVICE_ID_VARIABLE = "RELAY_ENDPOINT_SERVICE_ID";
    public static final String CLIENT_CA_SECRET_VARIABLE = "RELAY_CLIENT_CA_SECRET_ID";
    /** The function's Timeout in seconds (template.yaml sets it beside each Timeout; Lambda does not expose it to init). */
    public static final String FUNCTION_TIMEOUT_VARIABLE = "RELAY_LINK_FUNCTION_TIMEOUT";

    /** What the environment tunes; everything has a default that fits the functions' timeouts in template.yaml. */
    /**
     * @param clientCasInGatewaySecretId where this side confirms the client CAs its gateway's bundle holds
     * @param serverCasInWorkloadsSecretId where the Azure side confirms the server CAs its workloads' bundles hold
     * @param caKeyPolicy the key policy of a new server CA generation (the reconcile's environment; empty: it cannot create one)
     */
    public record Settings(String table, String serverCaSecretId, String clientCaSecretId, Optional<String> endpointServiceId,
                           ClaimPolicy claims, int lockAttempts, Duration lockInterval,
                           int probeAttempts, Duration probeInterval, String clientCasInGatewaySecretId,
                           String serverCasInWorkloadsSecretId, Optional<ServerCaKeyPolicy> caKeyPolicy) {

        /** template.yaml's default Timeout, for a link built without the function's own (tests). */
        static final Duration DEFAULT_FUNCTION_TIMEOUT = Duration.ofSeconds(60);

        public static Settings defaults(LinkSpec spec, String table) {
            dev.relaylink.spec.CaSecretNames secrets = dev.relaylink.spec.CaSecretNames.of(spec);
            return new Settings(table, secrets.serverCas(), secrets.clientCas(), Optional.empty(),
                    // event sources redeliver within hours; a day of memory makes a late duplicate a no-op too
                    new ClaimPolicy(DEFAULT_FUNCTION_TIMEOUT, Duration.ofDays(1)),
                    10, Duration.ofSeconds(1), 10, Duration.ofSeconds(3),
                    secrets.clientCasInGateway(), secrets.serverCasInWorkloads(), Optional.empty());
        }

        public Settings withEndpointServiceId(String id) {
            return new Settings(table, serverCaSecretId, clientCaSecretId, Optional.of(id), claims, lockAttempts,
                    lockInterval, probeAttempts, probeInterval, clientCasInGatewaySecretId, serverCasInWorkloadsSecretId, caKeyPolicy);
        }

        public Settings withClientCaSecretId(String id) {
            return new Settings(table, serverCaSecretId, id, endpointServiceId, claims, lockAttempts,
                    lockInterval, probeAttempts, probeInterval, clientCasInGatewaySecretId, serverCasInWorkloadsSecretId, caKeyPolicy);
        }

        public Settings withProbe(int attempts, Duration interval) {
            return new Settings(table, serverCaSecretId, clientCaSecretId, endpointServiceId, claims, lockAttempts,
                    lockInterval, attempts, interval, clientCasInGatewaySecretId, serverCasInWorkloadsSecretId, caKeyPolicy);
        }

        public Settings withCaKeyPolicy(ServerCaKeyPolicy policy) {
            return new Settings(table, serverCaSecretId, clientCaSecretId, endpointServiceId, claims, lockAttempts,
                    lockInterval, probeAttempts, probeInterval, clientCasInGatewaySecretId, serverCasInWorkloadsSecretId, Optional.of(policy));
        }

        /** Claims expire after this function's own timeout (a run cannot outlive it). */
        public Settings withFunctionTimeout(Duration timeout) {
            return new Settings(table, serverCaSecretId, clientCaSecretId, endpointServiceId,
                    new ClaimPolicy(timeout, claims.completedTtl()), lockAttempts, lockInterval, probeAttempts, probeInterval,
                    clientCasInGatewaySecretId, serverCasInWorkloadsSecretId, caKeyPolicy);
        }
    }

    private static volatile AwsFunctions shared;

    private final LinkSpec spec;
    private final Settings settings;
    private final AwsClients aws;
    private final Clock clock;
    private final InvocationAudit audit;
    private final AwsMetrics metrics;
    private final AwsSide side;
    private final Reconciler reconciler;
    private final Set<String> knownServiceIds = ConcurrentHashMap.newKeySet();
    private final Lazy<KubernetesClient> eks;

    private AwsFunctions(LinkSpec spec, Settings settings, AwsClients aws, Lazy<KubernetesClient> eks, GatewayProbe probe, Clock clock,
                         AuditLog sink, PrintStream metricsOut) {
        this.spec = spec;
        this.settings = settings;
        this.aws = aws;
        this.clock = clock;
        this.audit = new InvocationAudit(sink);
        this.metrics = new AwsMetrics(metricsOut, spec.name(), clock);
        this.eks = eks;
        settings.endpointServiceId().ifPresent(knownServiceIds::add);

        // Each adapter, with the SDK or Kubernetes client under it, is built on first use or by prepare().
        this.side = AwsSide.builder(spec, clock)
                .endpointService(() -> new WatchedEndpointService(new Ec2EndpointService(aws.ec2())))
                .loadBalancer(() -> new ElbLoadBalancer(aws.elb(), aws.ec2()))
                .gatewayEndpoints(() -> new KubernetesGatewayEndpoints(eks.get()))
                .targetGroupBindings(() -> new KubernetesTargetGroupBindings(eks.get()))
                .serverCa(() -> new KmsOwnedCa(new SecretsManagerPublishedCas(aws.secretsManager(), settings.serverCaSecretId()),
                        aws.kms(), new KmsSigner(aws.kms(), spec.aws().serverCaKeyId()), spec.name(),
                        () -> settings.caKeyPolicy().orElseThrow(() -> new ConfigurationFailure("this function has no key policy for a new server CA "
                                + "generation (" + ServerCaKeyPolicy.ADMIN_VARIABLE + ", " + ServerCaKeyPolicy.SIGNERS_VARIABLE + ")"))))
                .serverCertificates(() -> new SecretsManagerServerCertificateStore(aws.secretsManager(), spec.aws().serverCertSecretId()))
                .gatewayProbe(() -> probe)
                .eks(() -> new KubernetesClusterSecrets(eks.get()))
                .gatewayPolicy(() -> new KubernetesGatewayPolicy(eks.get()))
                .clientCaCertificates(() -> new SecretsManagerPublishedCas(aws.secretsManager(), settings.clientCaSecretId()))
                .clientCasInGateway(() -> new SecretsManagerPublishedCas(aws.secretsManager(), settings.clientCasInGatewaySecretId()))
                .serverCasInWorkloads(() -> new SecretsManagerPublishedCas(aws.secretsManager(), settings.serverCasInWorkloadsSecretId()))
                .probe(settings.probeAttempts(), settings.probeInterval())
                .build();
        // Every handler claims its event and takes the link's lock: DynamoDB is built with the link.
        this.reconciler = Reconciler.of(spec, side,
                new DynamoDbIdempotencyStore(aws.dynamoDb(), settings.table(), clock, settings.claims()),
                new DynamoDbLinkLock(aws.dynamoDb(), settings.table(), clock),
                audit, clock, settings.lockAttempts(), settings.lockInterval());
    }

    public static AwsFunctions create(LinkSpec spec, Settings settings, AwsClients aws, KubernetesClient eks, GatewayProbe probe,
                                      Clock clock, AuditLog sink, PrintStream metricsOut) {
        return new AwsFunctions(spec, settings, aws, Lazy.built(eks), probe, clock, sink, metricsOut);
    }

    /**
     * Builds now the adapters and clients that handling these concerns uses, and nothing else: a
     * handler calls this in its init, so its first event does not pay for them and no container
     * builds a client its handler never calls.
     */
    public AwsFunctions prepare(Set<Concern> concerns) {
        side.prepare(concerns);
        return this;
    }

    /** Whether this container has built its EKS client (tests: a handler that never calls EKS does not). */
    public boolean eksClientBuilt() {
        return eks.isBuilt();
    }

    /** The container's link, built on first use from the environment (the handlers' no-argument constructors call this). */
    public static AwsFunctions shared() {
        AwsFunctions link = shared;
        if (link == null) {
            synchronized (AwsFunctions.class) {
                link = shared;
                if (link == null) {
                    link = fromEnvironment(System.getenv());
                    shared = link;
                }
            }
        }
        return link;
    }

    public static AwsFunctions fromEnvironment(Map<String, String> environment) {
        LinkSpec spec = LinkSpecSource.read(environment);
        AwsClients aws = AwsClients.fromEnvironment(environment);
        if (!aws.region().id().equals(spec.aws().region())) {
            throw new ConfigurationFailure("the function runs in " + aws.region().id() + " but the link spec is for " + spec.aws().region());
        }
        Settings settings = Settings.defaults(spec, required(environment, TABLE_VARIABLE));
        String serviceId = environment.get(ENDPOINT_SERVICE_ID_VARIABLE);
        if (serviceId != null && !serviceId.isBlank()) {
            settings = settings.withEndpointServiceId(serviceId.trim());
        }
        String timeout = required(environment, FUNCTION_TIMEOUT_VARIABLE);
        try {
            settings = settings.withFunctionTimeout(Duration.ofSeconds(Long.parseLong(timeout)));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationFailure(FUNCTION_TIMEOUT_VARIABLE + " must be the function's timeout in seconds, not '" + timeout + "'", e);
        }
        if (!environment.getOrDefault(ServerCaKeyPolicy.ADMIN_VARIABLE, "").isBlank()) {
            settings = settings.withCaKeyPolicy(ServerCaKeyPolicy.fromEnvironment(environment));
        }
        String clientCaSecret = environment.get(CLIENT_CA_SECRET_VARIABLE);
        if (clientCaSecret != null && !clientCaSecret.isBlank()) {
            settings = settings.withClientCaSecretId(clientCaSecret.trim());
        }
        Clock clock = Clock.systemUTC();
        String caPem = new String(Base64.getMimeDecoder().decode(required(environment, EKS_CA_VARIABLE)), StandardCharsets.UTF_8);
        String eksEndpoint = required(environment, EKS_ENDPOINT_VARIABLE);
        Lazy<KubernetesClient> eks = Lazy.of(() -> KubernetesClients.create(eksEndpoint,
                new EksToken(aws.credentials(), aws.region(), spec.aws().eksCluster(), clock)::getToken, caPem));
        GatewayProbe probe = new TlsGatewayProbe(gatewayAddress(environment.get(GATEWAY_ADDRESS_VARIABLE), spec));
        return new AwsFunctions(spec, settings, aws, eks, probe, clock, JsonLines.stdout(), System.out);
    }

    public LinkSpec spec() {
        return spec;
    }

    public Settings settings() {
        return settings;
    }

    public AwsClients aws() {
        return aws;
    }

    public Clock clock() {
        return clock;
    }

    public InvocationAudit audit() {
        return audit;
    }

    public AwsMetrics metrics() {
        return metrics;
    }

    /** This side's ports and its server certificate rotation. */
    public AwsSide ports() {
        return side;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public ServerCertificateRotation serverRotation() {
        return side.serverRotation();
    }

    /** The events this side remembers handling (its claims table), for operators: reads only. */
    public dev.relaylink.port.HandledEvents handledEvents() {
        return new dev.relaylink.aws.adapter.DynamoDbHandledEvents(aws.dynamoDb(), settings.table(), settings.claims());
    }

    /** The link's endpoint service ids this container knows of (configured, or seen in AWS): empty before the first look. */
    public Set<String> knownEndpointServiceIds() {
        return Set.copyOf(knownServiceIds);
    }

    /**
     * Days to expiry of the server certificate and of every CA generation the AWS side holds or
     * trusts (named by side and state), and how deep each issuing CA is into its renewal window.
     */
    public void reportExpiry() {
        side.serverCertificates().current().ifPresent(c -> metrics.daysToExpiry("server", c.leaf()));
        reportGenerations("server-ca", side.serverCaCertificates().certificates());
        reportGenerations("client-ca", side.clientCaCertificates().certificates());
    }

    private void reportGenerations(String ca, List<java.security.cert.X509Certificate> published) {
        for (CaGenerations.Generation generation : CaGenerations.of(published)) {
            metrics.daysToExpiry(ca + " " + generation.state().name().toLowerCase(java.util.Locale.ROOT), generation.certificate());
        }
        CaGenerations.issuing(published).ifPresent(g -> metrics.caDaysIntoRenewal(ca, spec.certificates().ca().renewAt(g.certificate())));
    }

    private static InetSocketAddress gatewayAddress(String configured, LinkSpec spec) {
        // Unresolved: the probe looks it up (in the VPC, through its private DNS) each time it runs.
        if (configured == null || configured.isBlank()) {
            return InetSocketAddress.createUnresolved(spec.relay().hostName(), spec.relay().port());
        }
        int colon = configured.lastIndexOf(':');
        return colon < 0 ? InetSocketAddress.createUnresolved(configured.trim(), spec.relay().port())
                : InetSocketAddress.createUnresolved(configured.substring(0, colon).trim(), Integer.parseInt(configured.substring(colon + 1).trim()));
    }

    private static String required(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationFailure(name + " is not set");
        }
        return value.trim();
    }

    /**
     * The endpoint service port as the core uses it, noting which service ids it saw (so a connection
     * notification for another service is refused without asking AWS) and counting rejected connections.
     */
    private final class WatchedEndpointService implements dev.relaylink.port.EndpointServicePort {
        private final Ec2EndpointService ec2;

        WatchedEndpointService(Ec2EndpointService ec2) {
            this.ec2 = ec2;
        }

        @Override
        public Optional<EndpointServiceState> describe(String linkName, String loadBalancerArn) {
            Optional<EndpointServiceState> found = ec2.describe(linkName, loadBalancerArn);
            found.ifPresent(s -> knownServiceIds.add(s.serviceId()));
            return found;
        }

        @Override
        public String create(String linkName, String loadBalancerArn) {
            String id = ec2.create(linkName, loadBalancerArn);
            knownServiceIds.add(id);
            return id;
        }

        @Override
        public void requireAcceptance(String serviceId) {
            ec2.requireAcceptance(serviceId);
        }

        @Override
        public void replaceLoadBalancers(String serviceId, String add, Set<String> remove) {
            ec2.replaceLoadBalancers(serviceId, add, remove);
        }

        @Override
        public void modifyPermissions(String serviceId, Set<String> addPrincipals, Set<String> removePrincipals) {
            ec2.modifyPermissions(serviceId, addPrincipals, removePrincipals);
        }

        @Override
        public List<EndpointConnection> connections(String serviceId) {
            return ec2.connections(serviceId);
        }

        @Override
        public void accept(String serviceId, List<String> vpcEndpointIds) {
            ec2.accept(serviceId, vpcEndpointIds);
        }

        @Override
        public void reject(String serviceId, List<String> vpcEndpointIds) {
            ec2.reject(serviceId, vpcEndpointIds);
            metrics.rejectedConnections(vpcEndpointIds.size());
        }
    }

    /**
     * The link's endpoint service ids, for checking an event that names one: those this container
     * knows (configured, or seen in AWS), or, when it knows none yet, what one look-up in AWS finds
     * (a read; empty when the link has no endpoint service).
     */
    public Set<String> endpointServiceIds() {
        if (knownServiceIds.isEmpty()) {
            ports().endpointService().describe(spec.name(), spec.aws().nlb().loadBalancerArn());
        }
        return knownEndpointServiceIds();
    }
}
