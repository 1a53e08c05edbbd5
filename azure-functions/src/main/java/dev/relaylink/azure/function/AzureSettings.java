package dev.relaylink.azure.function;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.azure.adapter.ArmPrivateDns;
import dev.relaylink.azure.adapter.ArmPrivateLinkService;
import dev.relaylink.azure.adapter.AzureClients;
import dev.relaylink.azure.adapter.KeyVaultCaCertificates;
import dev.relaylink.azure.adapter.KeyVaultCaStore;
import dev.relaylink.azure.adapter.KeyVaultClientCertificateStore;
import dev.relaylink.k8s.KubernetesClients;
import dev.relaylink.k8s.KubernetesClusterSecrets;
import dev.relaylink.link.InMemoryIdempotencyStore;
import dev.relaylink.link.InMemoryLinkLock;
import dev.relaylink.link.LinkPorts;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.port.PrivateLinkServicePort;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpecReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The function app's settings (docs/azure.md lists them) and the wiring of the Azure half from
 * them. Every setting is checked when the host first needs the link, with one message naming
 * what is missing, so a misconfigured app fails loudly on its first event instead of half-working.
 *
 * @param vaultUrl the vault holding the client CA key, the workloads' certificates and the server CA bundle
 * @param serverCaSecret the Key Vault secret with the server CA certificates (PEM, current first) published from AWS
 * @param aksServer the AKS API server URL
 * @param aksCaPem the AKS cluster CA certificate, PEM
 */
public record AzureSettings(LinkSpec spec, String vaultUrl, String serverCaSecret, String aksServer, String aksCaPem) {
    public static final String SPEC = "RELAY_LINK_SPEC";
    public static final String SPEC_FILE = "RELAY_LINK_SPEC_FILE";
    public static final String VAULT_URL = "RELAY_LINK_VAULT_URL";
    public static final String SERVER_CA_SECRET = "RELAY_LINK_SERVER_CA_SECRET";
    public static final String AKS_SERVER = "RELAY_LINK_AKS_SERVER";
    public static final String AKS_CA = "RELAY_LINK_AKS_CA";
    public static final String DEFAULT_SERVER_CA_SECRET = "relay-link-server-ca-certificates";
    /** The Entra ID application of the AKS API server: a token for this scope authenticates to any AAD-enabled AKS cluster. */
    public static final String AKS_SCOPE = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";
    /** Claims that outlive this are stale; the function timeout (host.json) is far shorter. */
    private static final Duration CLAIM_TTL = Duration.ofMinutes(15);

    public static AzureSettings fromEnvironment() {
        return from(System::getenv);
    }

    /** Reads the settings from {@code setting} (the environment in Azure; a map in tests). */
    public static AzureSettings from(Function<String, String> setting) {
        Function<String, Optional<String>> optional = name -> Optional.ofNullable(setting.apply(name)).map(String::strip).filter(s -> !s.isEmpty());
        LinkSpec spec = optional.apply(SPEC).map(LinkSpecReader::read)
                .or(() -> optional.apply(SPEC_FILE).map(file -> LinkSpecReader.read(Path.of(file))))
                .orElseThrow(() -> new IllegalStateException("app setting " + SPEC + " (the link spec YAML) or " + SPEC_FILE + " is required"));
        String vaultUrl = optional.apply(VAULT_URL).orElse(AzureClients.vaultUrl(spec.azure().keyVault().name()));
        String aksServer = optional.apply(AKS_SERVER)
                .orElseThrow(() -> new IllegalStateException("app setting " + AKS_SERVER + " (the AKS API server URL) is required"));
        String aksCa = optional.apply(AKS_CA).map(AzureSettings::pem)
                .orElseThrow(() -> new IllegalStateException("app setting " + AKS_CA + " (the AKS cluster CA, PEM or base64 PEM) is required"));
        return new AzureSettings(spec, vaultUrl, optional.apply(SERVER_CA_SECRET).orElse(DEFAULT_SERVER_CA_SECRET), aksServer, aksCa);
    }

    /** The link in Azure: DefaultAzureCredential (managed or workload identity) for Key Vault, ARM and AKS. */
    public AzureLink link() {
        AzureClients clients = AzureClients.production();
        // AKS tokens come from the same identity as Key Vault's and ARM's: the app's managed identity or a federated workload identity.
        return link(clients, KubernetesClients.create(aksServer, aksToken(clients.credential()), aksCaPem), JsonLines.stdout(), Clock.systemUTC());
    }

    /**
     * Wires the Azure half on {@code clients} and {@code aks}, auditing to {@code out}. Idempotency and the link lock live in
     * this host's memory: the app runs on one instance (docs/azure.md, scale-out limit 1) and every
     * use case is idempotent by state, so a claim lost with a restarted host only costs a re-check.
     */
    public AzureLink link(AzureClients clients, KubernetesClient aks, JsonLines out, Clock clock) {
        return new AzureLink(spec, ports(clients, new KubernetesClusterSecrets(aks)), new InMemoryIdempotencyStore(clock, CLAIM_TTL),
                new InMemoryLinkLock(clock), out, clock);
    }

    /** The Azure ports: the client CA, the workloads' certificates and the server CA bundle in Key Vault, the PLS and DNS in ARM. */
    public LinkPorts ports(AzureClients clients, ClusterSecrets aks) {
        var secrets = clients.secrets(vaultUrl);
        LinkSpec.Azure azure = spec.azure();
        return LinkPorts.builder()
                .clientCa(KeyVaultCaStore.of(clients.keys(vaultUrl), secrets, azure.keyVault().clientCaKey()))
                .serverCaCertificates(new KeyVaultCaCertificates(secrets, serverCaSecret))
                .clientCertificates(new KeyVaultClientCertificateStore(clients.certificates(vaultUrl), secrets, spec.trustDomain(), spec.workloads()))
                // Binding the network resource manager costs about half a second of a cold start; only approvals and reconciles need it.
                .privateLinkService(onFirstUse(PrivateLinkServicePort.class,
                        () -> new ArmPrivateLinkService(clients, azure.subscriptionId(), azure.resourceGroup(), azure.privateLinkService())))
                .privateDns(new ArmPrivateDns(clients, azure.subscriptionId(), azure.resourceGroup()))
                .aks(aks)
                .build();
    }

    /** A {@code port} whose adapter is built by {@code create} on the first call, once. */
    static <T> T onFirstUse(Class<T> port, Supplier<T> create) {
        Supplier<T> once = new Supplier<>() {
            private T built;

            @Override
            public synchronized T get() {
                if (built == null) {
                    built = create.get();
                }
                return built;
            }
        };
        return port.cast(java.lang.reflect.Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            try {
                return method.invoke(once.get(), args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    /** An Entra ID token for the AKS API server; KubernetesClients fetches a new one shortly before it expires. */
    static Supplier<String> aksToken(TokenCredential credential) {
        TokenRequestContext request = new TokenRequestContext().addScopes(AKS_SCOPE);
        return () -> credential.getTokenSync(request).getToken();
    }

    /** Accepts the CA as PEM or, as {@code az aks show} and kubeconfig give it, base64-encoded PEM. */
    private static String pem(String value) {
        String pem = value;
        if (!value.contains("-----BEGIN")) {
            try {
                pem = new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                pem = "";
            }
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalStateException("app setting " + AKS_CA + " is neither a PEM certificate nor one base64-encoded");
        }
        return pem;
    }
}
