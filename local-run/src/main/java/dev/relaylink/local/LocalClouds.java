package dev.relaylink.local;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.aws.adapter.AwsClients;
import dev.relaylink.aws.adapter.DynamoDbIdempotencyStore;
import dev.relaylink.aws.testing.AwsCalls;
import dev.relaylink.aws.testing.AwsNetwork;
import dev.relaylink.aws.testing.Ec2ConnectionStub;
import dev.relaylink.azure.adapter.AwsTrustExchange;
import dev.relaylink.azure.adapter.AzureClients;
import dev.relaylink.azure.emulator.Azurite;
import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.azure.fake.FixedTokenCredential;
import dev.relaylink.azure.function.AzureFunctions;
import dev.relaylink.azure.function.AzureSettings;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.SpiffeId;
import java.security.KeyPair;
import java.time.Instant;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpecReader;
import dev.relaylink.testing.MockCluster;
import dev.relaylink.testing.RelayGateway;
import dev.relaylink.tls.TlsGatewayProbe;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Both clouds and both clusters of the example link on one machine, each reached the way the
 * deployed functions reach the real thing: AWS through the SDK against the AWS emulator (with the
 * EC2 connection calls it lacks answered by a wire-format stub), Azure through the Azure SDK against
 * the local REST fake, EKS and AKS through fabric8 against two mock API servers. The EKS gateway is
 * a TLS server configured only from what relay-link writes into EKS.
 */
final class LocalClouds implements AutoCloseable {
    static final String GATEWAY_POD = "10.0.1.17";
    static final int GATEWAY_POD_PORT = 10443;
    /** The functions whose dead-letter queues template.yaml declares, as named there. */
    static final List<String> DEAD_LETTER_QUEUES = List.of("endpoint-connections", "endpoint-service-drift", "load-balancer-drift",
            "server-certificate-rotation", "reconcile", "cluster-change");

    final LinkClock clock = new LinkClock();
    final LinkSpec spec;
    // AWS
    /** Every AWS SDK call of the functions and of the operator's command ("Service.Operation"). */
    final AwsCalls awsCalls = new AwsCalls();
    final AwsClients aws;
    final SqsClient sqs;
    final AwsNetwork network;
    final Ec2ConnectionStub ec2Stub;
    final AwsFunctions.Settings awsSettings;
    final AwsFunctions awsLink;
    final AuditLog.InMemory awsAudit = new AuditLog.InMemory();
    /** The Load Balancer Controller's stand-in (spec aws.nlb.targets: controller); null where relay-link registers the targets. */
    final LoadBalancerControllerStandIn controller;
    final ByteArrayOutputStream awsMetrics = new ByteArrayOutputStream();
    // Azure
    final AzureFake azure = AzureFake.start();
    final AzureClients azureClients;
    final AzureSettings azureSettings;
    final AzureFunctions azureLink;
    final ByteArrayOutputStream azureLines = new ByteArrayOutputStream();
    // clusters and the gateway
    final MockCluster eks = new MockCluster();
    final MockCluster aks = new MockCluster();
    final ClusterReader eksReader = new ClusterReader(eks.client);
    final ClusterReader aksReader = new ClusterReader(aks.client);
    final RelayGateway gateway;

    LocalClouds() throws IOException {
        this(java.util.function.UnaryOperator.identity());
    }

    /** The example link with its workloads replaced by {@code workloads} (the scale benchmark's thousand). */
    LocalClouds(java.util.function.UnaryOperator<List<LinkSpec.Workload>> workloads) throws IOException {
        URI endpoint = URI.create(requireEnv(AwsClients.ENDPOINT_VARIABLE));
        AwsClients emulator = AwsClients.fromEnvironment();
        ec2Stub = Ec2ConnectionStub.start(Optional.of(endpoint), 100);
        Ec2Client ec2 = Ec2Client.builder().region(emulator.region()).endpointOverride(ec2Stub.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(awsCalls)).build();
        aws = AwsClients.create(emulator.region(), Optional.of(endpoint), List.of(awsCalls)).withEc2(ec2);
        sqs = SqsClient.builder().region(emulator.region()).endpointOverride(endpoint).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(awsCalls)).build();
        network = AwsNetwork.create(aws.ec2(), aws.elb(), aws.region());

        LinkSpec example = LinkSpecReader.readResource("examples/link.yaml");
        // Names unique to this instance: several local links may share one emulator (the fault tests do).
        String suffix = network.suffix();
        String keyAlias = "alias/relay-link-server-ca-" + suffix;
        String keyId = aws.kms().createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
        aws.kms().createAlias(r -> r.aliasName(keyAlias).targetKeyId(keyId));
        // What the stack created: the emulator's NLB, target group and security group, the KMS key.
        spec = new LinkSpec(example.name() + "-" + suffix, example.relay(),
                new LinkSpec.Aws(aws.region().id(), example.aws().accountId(), example.aws().endpointService(),
                        new LinkSpec.Nlb(network.loadBalancerArn(), network.targetGroupArn(), network.securityGroupId(),
                                example.aws().nlb().allowedSourceCidrs(), example.aws().nlb().targets()),
                        example.aws().serverCertSecretId() + "-" + suffix, keyAlias, example.aws().eksCluster()),
                example.azure(), workloads.apply(example.workloads()), example.certificates(), example.trustDomain());
        String table = spec.name();
        aws.dynamoDb().createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName(DynamoDbIdempotencyStore.KEY).keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(DynamoDbIdempotencyStore.KEY).attributeType(ScalarAttributeType.S).build()));

        // The stack's dead-letter queues, one per function (template.yaml), which the operator's status counts.
        for (String function : DEAD_LETTER_QUEUES) {
            sqs.createQueue(r -> r.queueName(spec.name() + "-" + function + "-dlq"));
        }
        seedEks();
        controller = spec.aws().nlb().targets() == LinkSpec.Targets.CONTROLLER
                ? new LoadBalancerControllerStandIn(eks.client, new dev.relaylink.aws.adapter.ElbLoadBalancer(aws.elb(), aws.ec2()), spec.relay().namespace())
                : null;
        gateway = RelayGateway.startWith(new GatewayFromSecrets(eksReader, spec.relay(), clock));
        String account = emulatorAccount(endpoint);
        // As the template gives them: the key policy of a new server CA generation's key
        awsSettings = AwsFunctions.Settings.defaults(spec, table).withProbe(20, Duration.ofMillis(100))
                .withCaKeyPolicy(new dev.relaylink.aws.adapter.ServerCaKeyPolicy("arn:aws:iam::" + account + ":role/" + spec.name() + "-ca-key-admin",
                        List.of("arn:aws:iam::" + account + ":role/" + spec.name() + "-reconcile",
                                "arn:aws:iam::" + account + ":role/" + spec.name() + "-server-certificate-rotation"),
                        "arn:aws:iam::" + account + ":role/" + spec.name() + "-reconcile"));
        awsLink = AwsFunctions.create(spec, awsSettings, aws, boundedRetries(eks), new TlsGatewayProbe(new InetSocketAddress("127.0.0.1", gateway.port())),
                clock, awsAudit, new PrintStream(awsMetrics, true, StandardCharsets.UTF_8));

        // Table Storage (claims, lock) on Azurite, started by scripts/local-run and scripts/test; a table of this instance's own.
        Azurite azurite = Azurite.fromEnvironment();
        azureClients = AzureClients.forEndpoint(new FixedTokenCredential(), azure.clientTrust(java.util.List.of(azurite.certificate())),
                azure.resourceManagerEndpoint());
        LinkSpec.Azure az = spec.azure();
        azure.arm().privateLinkService(az.subscriptionId(), az.resourceGroup(), az.privateLinkService());
        azure.arm().privateDnsZone(az.subscriptionId(), az.resourceGroup(), az.privateDns().zone());
        // The trust exchange as in Azure: a token from the app's credential, AssumeRoleWithWebIdentity at the emulator's STS
        // for a role of the account that holds the secrets, then Secrets Manager. The stack creates the client CA secret empty.
        aws.secretsManager().createSecret(r -> r.name(awsSettings.clientCaSecretId())
                .description("relay-link client CA certificates from the Azure side, PEM (public)"));
        // And, as the stack does too, the server certificate and server CA secrets, without a version.
        aws.secretsManager().createSecret(r -> r.name(spec.aws().serverCertSecretId()).description("relay-link server certificate and key"));
        aws.secretsManager().createSecret(r -> r.name(awsSettings.serverCaSecretId()).description("relay-link server CA certificates, PEM (public)"));
        // And the two confirmations of the CA rotation, empty
        aws.secretsManager().createSecret(r -> r.name(awsSettings.clientCasInGatewaySecretId())
                .description("relay-link client CA certificates the EKS gateway's bundle holds, PEM (public)"));
        aws.secretsManager().createSecret(r -> r.name(awsSettings.serverCasInWorkloadsSecretId())
                .description("relay-link server CA certificates every AKS workload's bundle holds, PEM (public)"));
        AwsTrustExchange.Settings exchange = new AwsTrustExchange.Settings(aws.region(), Optional.of(endpoint),
                "arn:aws:iam::" + emulatorAccount(endpoint) + ":role/" + spec.name() + "-azure-trust-exchange",
                awsSettings.clientCaSecretId(), awsSettings.serverCaSecretId());
        azureSettings = new AzureSettings(spec, azure.vaultUrl(), AzureSettings.DEFAULT_SERVER_CA_SECRET, "unused", "unused", exchange,
                azurite.tableServiceUri(), Azurite.uniqueTable(AzureSettings.DEFAULT_STATE_TABLE));
        azureLink = AzureFunctions.create(azureSettings, azureClients, boundedRetries(aks), new JsonLines(new PrintStream(azureLines, true, StandardCharsets.UTF_8)), clock);
    }

    /**
     * The functions' client for a local cluster: fabric8's retries on 5xx kept shorter than in the
     * clouds (two, 20 ms apart, where KubernetesClients allows three, 200 ms apart), so an API that
     * keeps failing fails the invocation quickly and the platform's retry and dead-letter path takes over.
     */
    private static KubernetesClient boundedRetries(MockCluster cluster) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(cluster.client.getMasterUrl().toString())
                .withRequestRetryBackoffLimit(2).withRequestRetryBackoffInterval(20).withNamespace(null).build();
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
    }

    /** The EKS cluster as it runs before relay-link: the gateway Service and its one ready pod. */
    private void seedEks() {
        LinkSpec.Relay relay = spec.relay();
        eks.client.services().inNamespace(relay.namespace()).resource(new ServiceBuilder().withNewMetadata().withName(relay.gatewayService())
                .withNamespace(relay.namespace()).endMetadata().withNewSpec().addNewPort().withName("https").withPort(relay.port())
                .withNewTargetPort(GATEWAY_POD_PORT).endPort().endSpec().build()).create();
        eks.client.discovery().v1().endpointSlices().inNamespace(relay.namespace()).resource(new EndpointSliceBuilder().withNewMetadata()
                .withName(relay.gatewayService() + "-a").withNamespace(relay.namespace())
                .addToLabels("kubernetes.io/service-name", relay.gatewayService()).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("https").withPort(GATEWAY_POD_PORT).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses(GATEWAY_POD).withNewConditions().withReady(true).endConditions().endEndpoint()
                .build()).create();
    }

    /** The account the emulator's default credentials act in: where the stack's secrets are, so where the role must be. */
    private static String emulatorAccount(URI endpoint) {
        try (StsClient sts = StsClient.builder().region(AwsClients.fromEnvironment().region()).endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            return sts.getCallerIdentity().account();
        }
    }

    /** Makes a client certificate issued at {@code issued} the workload's current Key Vault version and AKS secret. */
    Credential importClientCertificate(SpiffeId id, Instant issued) {
        KeyPair key = Keys.generateP256();
        var leaf = azureLink.ports().clientCa().current().orElseThrow().issueClient(key.getPublic(), id, issued, spec.certificates().client().lifetime());
        Credential credential = new Credential(key.getPrivate(), List.of(leaf));
        azureLink.ports().clientCertificates().importVersion(id, credential);
        azureLink.clientRotation().writeSecret(id);
        return credential;
    }

    /** Makes a server certificate issued at {@code issued} AWSCURRENT and the gateway's TLS secret. */
    Credential importServerCertificate(Instant issued) {
        KeyPair key = Keys.generateP256();
        var leaf = awsLink.ports().serverCa().current().orElseThrow().issueServer(key.getPublic(), spec.relay().hostName(), issued,
                spec.certificates().server().lifetime());
        Credential credential = new Credential(key.getPrivate(), List.of(leaf));
        String token = java.util.UUID.randomUUID().toString();
        awsLink.ports().serverCertificates().putPending(token, credential);
        awsLink.ports().serverCertificates().promote(token);
        awsLink.ports().eks().applyTls(spec.relay().namespace(), spec.relay().tlsSecret(), credential, Optional.empty());
        return credential;
    }

    Optional<String> endpointServiceId() {
        return awsLink.ports().endpointService().describe(spec.name(), spec.aws().nlb().loadBalancerArn()).map(s -> s.serviceId());
    }

    private static String requireEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run through scripts/local-run, which starts the AWS emulator");
        }
        return value;
    }

    @Override
    public void close() throws IOException {
        if (controller != null) {
            controller.close();
        }
        gateway.close();
        eks.close();
        aks.close();
        ec2Stub.close();
        sqs.close();
        azure.close();
    }
}
