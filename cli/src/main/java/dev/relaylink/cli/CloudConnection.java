package dev.relaylink.cli;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.aws.adapter.AwsClients;
import dev.relaylink.azure.adapter.AwsTrustExchange;
import dev.relaylink.azure.adapter.AzureClients;
import dev.relaylink.azure.function.AzureFunctions;
import dev.relaylink.azure.function.AzureSettings;
import dev.relaylink.k8s.KubernetesClusterSecrets;
import dev.relaylink.usecase.ClientCertificateRotation;
import dev.relaylink.wiring.AzureSide;
import dev.relaylink.usecase.WorkloadRevocation;
import dev.relaylink.operate.LinkSide;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpecReader;
import dev.relaylink.tls.TlsGatewayProbe;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The link as an operator reaches it from a laptop or a CI job, with the standard credential chains
 * and nothing stored: AWS through the default provider chain (the same {@link AwsClients} and
 * {@link AwsFunctions} wiring as the functions), Azure through {@code DefaultAzureCredential} (the same
 * {@link AzureSettings#ports} wiring), EKS and AKS through kubeconfig contexts named on the command
 * line. The Azure side's view of the AWS copies (its trust exchange) is read with the operator's own
 * AWS credentials, where the functions federate. Each client is built only when its side is asked for.
 */
final class CloudConnection implements LinkConnection {
    static final String SPEC_FILE_VARIABLE = "RELAY_LINK_SPEC_FILE";

    private final Options options;
    private final Map<String, String> environment;
    private final LinkSpec spec;
    private final Clock clock;
    private final AuditLog audit;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private AwsClients aws;
    private AzureClients azure;
    private AzureSide azurePorts;

    CloudConnection(Options options, Map<String, String> environment, Clock clock, AuditLog audit) {
        this.options = options;
        this.clock = clock;
        this.audit = audit;
        Path file = options.spec().or(() -> Optional.ofNullable(environment.get(SPEC_FILE_VARIABLE)).map(Path::of)).orElse(Path.of("link.yaml"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no link spec at " + file + " (give --spec FILE or set " + SPEC_FILE_VARIABLE + ")");
        }
        this.spec = LinkSpecReader.read(file);
        options.value("--kubeconfig").ifPresent(path -> System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, path));
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent(AwsClients.REGION_VARIABLE, spec.aws().region());
        this.environment = Map.copyOf(env);
    }

    @Override
    public LinkSpec spec() {
        return spec;
    }

    @Override
    public List<LinkSide> sides(Options.Side side) {
        List<LinkSide> sides = new ArrayList<>();
        if (side.aws()) {
            sides.add(awsSide());
        }
        if (side.azure()) {
            sides.add(LinkSide.azure(azurePorts(), options.value("--azure-table-uri").isPresent()
                    ? AzureFunctions.handledEvents(azureSettings(), azureClients()) : LinkSide.noEvents(), SqsDeadLetters.eventGrid()));
        }
        return sides;
    }

    private LinkSide awsSide() {
        KubernetesClient eks = cluster("--eks-context", "EKS");
        String table = options.value("--aws-table").orElse(spec.name() + "-state");
        AwsFunctions link = AwsFunctions.create(spec, AwsFunctions.Settings.defaults(spec, table), awsClients(), eks,
                new TlsGatewayProbe(InetSocketAddress.createUnresolved(spec.relay().hostName(), spec.relay().port())), clock, audit,
                new PrintStream(OutputStream.nullOutputStream()));
        SqsClient sqs = SqsClient.builder().region(awsClients().region()).httpClient(UrlConnectionHttpClient.create())
                .applyMutation(b -> Optional.ofNullable(environment.get(AwsClients.ENDPOINT_VARIABLE)).map(java.net.URI::create)
                        .ifPresent(b::endpointOverride))
                .build();
        opened.add(sqs);
        return LinkSide.aws(link.ports(), link.handledEvents(), new SqsDeadLetters(sqs, spec.name()));
    }

    @Override
    public WorkloadRevocation revocation() {
        AzureSide ports = azurePorts();
        ClientCertificateRotation rotation = ports.clientRotation();
        // The reconciles run as the functions, on their schedules: the operator's credentials only read the gateway's CRL.
        WorkloadRevocation.CrlDelivery delivery = new WorkloadRevocation.CrlDelivery() {
            @Override
            public Optional<String> deliver(String requestId) {
                return Optional.of("the Azure reconcile (timer " + dev.relaylink.azure.function.ReconcileFunction.SCHEDULE
                        + ") lists the old serial in the client CA's CRL and publishes it to AWS, then the AWS reconcile (the stack's"
                        + " ReconcileSchedule) copies it into " + spec.relay().namespace() + "/" + spec.relay().crlSecret()
                        + "; `relay-link status` shows the serial in the CRL table once it is there");
            }

            @Override
            public Optional<java.security.cert.X509CRL> gatewayCrl() {
                return WorkloadRevocation.gatewayCrl(spec, awsSide().ports());
            }
        };
        return new WorkloadRevocation(rotation, ports.clientCertificates(), delivery, audit, clock);
    }

    @Override
    public String requester() {
        return Requester.of(azureClients().credential());
    }

    private AzureSide azurePorts() {
        if (azurePorts == null) {
            AwsFunctions.Settings aws = AwsFunctions.Settings.defaults(spec, "unused");
            AwsTrustExchange exchange = new AwsTrustExchange(awsClients().secretsManager(), aws.clientCaSecretId(), aws.serverCaSecretId());
            KubernetesClient aks = cluster("--aks-context", "AKS");
            azurePorts = AzureFunctions.side(azureSettings(), azureClients(), () -> new KubernetesClusterSecrets(aks),
                    () -> new dev.relaylink.k8s.KubernetesNetworkPolicies(aks), () -> exchange, clock);
        }
        return azurePorts;
    }

    /**
     * The function app's settings as far as the command uses them (the vault, the server CA mirror, the state table):
     * the AKS server and the federation role are the functions' own; the command reaches AKS and AWS itself.
     */
    private AzureSettings azureSettings() {
        AwsFunctions.Settings aws = AwsFunctions.Settings.defaults(spec, "unused");
        return new AzureSettings(spec, options.value("--vault-url").orElse(AzureClients.vaultUrl(spec.azure().keyVault().name())),
                options.value("--server-ca-secret").orElse(AzureSettings.DEFAULT_SERVER_CA_SECRET), "kubeconfig", "kubeconfig",
                new AwsTrustExchange.Settings(awsClients().region(), Optional.empty(), "arn:aws:iam::" + spec.aws().accountId() + ":role/unused",
                        aws.clientCaSecretId(), aws.serverCaSecretId()),
                options.value("--azure-table-uri").orElse("https://unused.table.core.windows.net"),
                options.value("--azure-state-table").orElse(AzureSettings.DEFAULT_STATE_TABLE));
    }

    private AwsClients awsClients() {
        if (aws == null) {
            aws = AwsClients.fromEnvironment(environment);
        }
        return aws;
    }

    private AzureClients azureClients() {
        if (azure == null) {
            azure = AzureClients.production();
        }
        return azure;
    }

    private KubernetesClient cluster(String option, String which) {
        String context = options.value(option).orElseThrow(() -> new IllegalArgumentException(
                "the " + which + " side needs " + option + " NAME (a kubeconfig context); or choose another --side"));
        Config config = Config.autoConfigure(context);
        if (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName())) {
            throw new IllegalArgumentException("kubeconfig has no context named " + context);
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
        opened.add(client);
        return client;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : opened) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // closing a client at exit: nothing left to do
            }
        }
    }

}
