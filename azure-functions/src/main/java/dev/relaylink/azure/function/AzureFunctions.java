package dev.relaylink.azure.function;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.security.keyvault.secrets.SecretClient;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.azure.adapter.ArmPrivateDns;
import dev.relaylink.azure.adapter.ArmPrivateLinkService;
import dev.relaylink.azure.adapter.AwsTrustExchange;
import dev.relaylink.azure.adapter.AzureClients;
import dev.relaylink.azure.adapter.KeyVaultCaMirror;
import dev.relaylink.azure.adapter.KeyVaultOwnedCa;
import dev.relaylink.azure.adapter.KeyVaultClientCertificateStore;
import dev.relaylink.azure.adapter.TableStorageHandledEvents;
import dev.relaylink.azure.adapter.TableStorageIdempotencyStore;
import dev.relaylink.azure.adapter.TableStorageLinkLock;
import dev.relaylink.k8s.KubernetesClients;
import dev.relaylink.k8s.KubernetesClusterSecrets;
import dev.relaylink.k8s.KubernetesNetworkPolicies;
import dev.relaylink.wiring.AzureSide;
import dev.relaylink.wiring.Lazy;
import dev.relaylink.usecase.ClientCertificateRotation;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.port.HandledEvents;
import dev.relaylink.port.IdempotencyStore;
import dev.relaylink.port.LinkLock;
import dev.relaylink.port.NetworkPolicyPort;
import dev.relaylink.port.TrustExchange;
import dev.relaylink.spec.LinkSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The composition root of the Azure function app: the Azure half of one link, built once per host
 * process from its settings ({@link AzureSettings}): the spec, the Azure side's ports (Key Vault,
 * ARM, AKS, the trust exchange with AWS) and the use cases the functions call. Functions reach it
 * through {@link #get()}; tests build one on local fakes with {@link #create}.
 */
public final class AzureFunctions {
    /** A run that finds the link locked waits this long in all before the event is retried. */
    private static final int LOCK_ATTEMPTS = 5;
    private static final Duration LOCK_INTERVAL = Duration.ofSeconds(2);

    private final LinkSpec spec;
    private final AzureSide side;
    private final AzureTelemetry telemetry;
    private final Clock clock;
    private final Reconciler reconciler;

    public AzureFunctions(LinkSpec spec, AzureSide side, IdempotencyStore idempotency, LinkLock lock, JsonLines out, Clock clock) {
        this.spec = spec;
        this.side = side;
        this.telemetry = new AzureTelemetry(out, spec.name());
        this.clock = clock;
        this.reconciler = Reconciler.of(spec, side, idempotency, lock, telemetry, clock, LOCK_ATTEMPTS, LOCK_INTERVAL);
    }


    /** The link in Azure: DefaultAzureCredential (managed or workload identity) for Key Vault, ARM and AKS, and federation to AWS. */
    public static AzureFunctions inAzure(AzureSettings settings) {
        AzureClients clients = AzureClients.production();
        // AKS tokens come from the same identity as Key Vault's and ARM's: the app's managed identity or a federated workload identity.
        KubernetesClient aks = KubernetesClients.create(settings.aksServer(), aksToken(clients.credential()), settings.aksCaPem());
        return create(settings, clients, aks, JsonLines.stdout(), Clock.systemUTC());
    }

    /**
     * Wires the Azure half on {@code clients} and {@code aks}, auditing to {@code out}, with the trust exchange federated
     * from the clients' credential.
     */
    public static AzureFunctions create(AzureSettings settings, AzureClients clients, KubernetesClient aks, JsonLines out, Clock clock) {
        return create(settings, clients, aks, () -> AwsTrustExchange.federated(settings.aws(), awsToken(clients.credential())), out, clock);
    }

    /**
     * As {@link #create(AzureSettings, AzureClients, KubernetesClient, JsonLines, Clock)}, with the given trust exchange. Event
     * claims and the link lock are rows of one table that every instance of the app shares, so the app may scale out.
     */
    public static AzureFunctions create(AzureSettings settings, AzureClients clients, KubernetesClient aks, Supplier<? extends TrustExchange> exchange,
                                        JsonLines out, Clock clock) {
        var table = clients.table(settings.tableServiceUri(), settings.stateTable());
        AzureSide side = side(settings, clients, () -> new KubernetesClusterSecrets(aks), () -> new KubernetesNetworkPolicies(aks), exchange, clock);
        return new AzureFunctions(settings.spec(), side, new TableStorageIdempotencyStore(table, clock, AzureSettings.CLAIMS),
                new TableStorageLinkLock(table, clock), out, clock);
    }

    /** The events the app remembers handling (the event rows of its state table), for operators: reads only. */
    public static HandledEvents handledEvents(AzureSettings settings, AzureClients clients) {
        return new TableStorageHandledEvents(clients.table(settings.tableServiceUri(), settings.stateTable()), AzureSettings.CLAIMS);
    }

    /**
     * The Azure side: the client CA, the workloads' certificates and the mirrored server CA certificates in Key Vault, the
     * PLS and DNS in ARM, the trust exchange with AWS, and the AKS secrets and egress NetworkPolicies. Each port is built
     * on first use: the AWS clients of the trust exchange and the network resource manager cost cold-start time that
     * only reconciles and approvals spend.
     */
    public static AzureSide side(AzureSettings settings, AzureClients clients, Supplier<? extends ClusterSecrets> aks,
                                 Supplier<? extends NetworkPolicyPort> networkPolicies, Supplier<? extends TrustExchange> exchange, Clock clock) {
        LinkSpec spec = settings.spec();
        LinkSpec.Azure azure = spec.azure();
        String vault = settings.vaultUrl();
        // One secret client for the three Key Vault ports that read and write secrets, built by the first of them.
        Lazy<SecretClient> secrets = Lazy.of(() -> clients.secrets(vault));
        return AzureSide.builder(spec, clock)
                .clientCa(() -> KeyVaultOwnedCa.of(clients.keys(vault), secrets.get(), azure.keyVault().clientCaKey()))
                .serverCaMirror(() -> new KeyVaultCaMirror(secrets.get(), settings.serverCaSecret()))
                .trustExchange(exchange)
                .clientCertificates(() -> new KeyVaultClientCertificateStore(clients.certificates(vault), secrets.get(), spec.trustDomain(),
                        spec.workloads()))
                .privateLinkService(() -> new ArmPrivateLinkService(clients, azure.subscriptionId(), azure.resourceGroup(), azure.privateLinkService()))
                .privateDns(() -> new ArmPrivateDns(clients, azure.subscriptionId(), azure.resourceGroup()))
                .aks(aks)
                .networkPolicies(networkPolicies)
                .build();
    }

    /** An Entra ID token for the AKS API server; KubernetesClients fetches a new one shortly before it expires. */
    static Supplier<String> aksToken(TokenCredential credential) {
        TokenRequestContext request = new TokenRequestContext().addScopes(AzureSettings.AKS_SCOPE);
        return () -> credential.getTokenSync(request).getToken();
    }

    /** An Entra ID token AWS STS accepts for the trust exchange role (audience {@code api://AzureADTokenExchange}). */
    static Supplier<String> awsToken(TokenCredential credential) {
        TokenRequestContext request = new TokenRequestContext().addScopes(AwsTrustExchange.TOKEN_SCOPE);
        return () -> credential.getTokenSync(request).getToken();
    }

    private static volatile AzureFunctions hosted;

    /**
     * The link of this function host, built from the app settings on first use (see {@link AzureSettings}).
     * A failed build is tried again by the next invocation, so each one reports the real reason.
     */
    public static AzureFunctions get() {
        AzureFunctions link = hosted;
        if (link == null) {
            synchronized (AzureFunctions.class) {
                if (hosted == null) {
                    hosted = inAzure(AzureSettings.fromEnvironment());
                }
                link = hosted;
            }
        }
        return link;
    }

    public LinkSpec spec() {
        return spec;
    }

    /** This side's ports and its client certificate rotation. */
    public AzureSide ports() {
        return side;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public ClientCertificateRotation clientRotation() {
        return side.clientRotation();
    }

    public AzureTelemetry telemetry() {
        return telemetry;
    }

    public Clock clock() {
        return clock;
    }

    /** The one audit record of an event a function refused: nothing was read or changed. */
    public void reject(String eventId, String function, String reason) {
        reconciler.reject(eventId, function, reason);
    }

    /** The one audit record of a function that changed something outside the planner (an event-driven rotation). */
    public void applied(String eventId, String action, String target, String reason, dev.relaylink.plan.Reason code) {
        telemetry.record(new AuditRecord(clock.instant(), eventId, action, target, AuditRecord.Outcome.APPLIED, reason, code));
    }

    /** The private endpoint connection of that name on the link's Private Link Service, as ARM has it now (a read). */
    public java.util.Optional<dev.relaylink.state.PrivateEndpointConnection> privateEndpointConnection(String name) {
        return ports().privateLinkService().connection(name);
    }

    /**
     * Days to expiry of every workload's client certificate (a read per certificate: the function's
     * roles are scoped to each certificate, none lists the vault), and of every CA generation this side
     * holds or mirrors, with how deep the issuing one is into its renewal window.
     */
    public void reportExpiry() {
        java.time.Instant now = clock.instant();
        ports().clientCertificates().currentExpiries().forEach((workload, notAfter) -> telemetry.daysToExpiry(workload, notAfter, now));
        reportCaGenerations("client-ca", ports().clientCaCertificates().certificates(), now);
        reportCaGenerations("server-ca", ports().serverCaCertificates().certificates(), now);
    }

    /** Days to expiry of the workload's current client certificate, when it has one. */
    public void reportExpiry(dev.relaylink.pki.SpiffeId workload) {
        ports().clientCertificates().current(workload)
                .ifPresent(current -> telemetry.daysToExpiry(workload, current.leaf().getNotAfter().toInstant(), clock.instant()));
    }

    private void reportCaGenerations(String ca, java.util.List<java.security.cert.X509Certificate> published, java.time.Instant now) {
        for (var generation : dev.relaylink.pki.CaGenerations.of(published)) {
            telemetry.caDaysToExpiry(ca, generation.state().name().toLowerCase(java.util.Locale.ROOT), generation.notAfter(), now);
        }
        dev.relaylink.pki.CaGenerations.issuing(published).ifPresent(g ->
                telemetry.caDaysIntoRenewal(ca, spec.certificates().ca().renewAt(g.certificate()), now));
    }
}
