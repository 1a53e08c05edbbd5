package dev.relaylink.aws.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.aws.adapter.AwsClients;
import dev.relaylink.aws.adapter.SecretsManagerPublishedCas;
import dev.relaylink.aws.handler.HandlerResponse;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.MockCluster;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * One link's whole AWS side for handler tests, all of it real where it runs here: the AWS emulator
 * (NLB, target group, security group, KMS key, secrets, DynamoDB table, all named for this world
 * only), the EC2 connection stub in front of it, fabric8's mock API server as EKS (the gateway
 * Service and its EndpointSlices), and a TLS gateway serving the cluster's secret. The link is built
 * by {@link AwsFunctions#create} exactly as in a Lambda container, with an SDK interceptor that counts calls.
 */
public final class AwsFunctionsWorld implements AutoCloseable {
    public static final String ACCOUNT = TestSpecs.ACCOUNT;
    public static final String CONSUMER = TestSpecs.CONSUMER_ACCOUNT;
    public static final String STRANGER = TestSpecs.STRANGER_ACCOUNT;
    public static final List<String> GATEWAY_PODS = List.of("10.0.1.17", "10.0.1.18");
    public static final int GATEWAY_POD_PORT = 10443;

    public final AwsClients aws;
    public final AwsCalls calls = new AwsCalls();
    public final AwsNetwork network;
    public final Ec2ConnectionStub ec2Stub;
    public final MockCluster eks;
    public final ClusterGateway gateway;
    public final TestPki pki;
    public final MutableClock clock;
    public final LinkSpec spec;
    public final AwsFunctions link;
    public final AuditLog.InMemory audit = new AuditLog.InMemory();
    public final ByteArrayOutputStream metrics = new ByteArrayOutputStream();
    public final String table;

    /** A link whose functions register the gateway pods themselves (spec aws.nlb.targets: relay-link), as most handler tests check. */
    public AwsFunctionsWorld() {
        this(LinkSpec.Targets.RELAY_LINK);
    }

    /** A link with the given target mode; controller: the Load Balancer Controller registers from the TargetGroupBinding. */
    public AwsFunctionsWorld(LinkSpec.Targets targets) {
        AwsClients emulator = Emulator.clients();
        assumeTrue(Emulator.endpoint().isPresent());
        try {
            this.ec2Stub = Ec2ConnectionStub.start(Emulator.endpoint(), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Ec2Client ec2 = Ec2Client.builder().region(emulator.region()).endpointOverride(ec2Stub.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(calls).build())
                .build();
        this.aws = AwsClients.create(emulator.region(), Emulator.endpoint(), List.of(calls)).withEc2(ec2);
        this.network = AwsNetwork.create(aws.ec2(), aws.elb(), aws.region());
        String suffix = network.suffix();
        this.table = "relay-link-" + suffix;
        Emulator.linkTable(aws.dynamoDb(), table);
        String keyId = aws.kms().createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
        String alias = "alias/relay-link-server-ca-" + suffix;
        aws.kms().createAlias(r -> r.aliasName(alias).targetKeyId(keyId));

        this.clock = new MutableClock(Instant.now());
        this.pki = new TestPki(clock.instant());
        LinkSpec example = TestSpecs.example();
        this.spec = new LinkSpec("relay-link-" + suffix, example.relay(),
                new LinkSpec.Aws(aws.region().id(), ACCOUNT, example.aws().endpointService(),
                        new LinkSpec.Nlb(network.loadBalancerArn(), network.targetGroupArn(), network.securityGroupId(), Set.of("10.20.0.0/24"), targets),
                        "relay-link/server-tls-" + suffix, alias, example.aws().eksCluster()),
                example.azure(), example.workloads(), example.certificates(), example.trustDomain());

        this.eks = new MockCluster();
        seedGateway();
        this.gateway = new ClusterGateway(eks.client, spec.relay().namespace(), spec.relay().tlsSecret(),
                TrustBundle.of(pki.clientCa.certificate()), spec.allowedSpiffeIds());
        // As template.yaml gives the functions: who administers and who signs with a new server CA generation's key.
        AwsFunctions.Settings settings = AwsFunctions.Settings.defaults(spec, table).withProbe(5, Duration.ofMillis(50))
                .withCaKeyPolicy(new dev.relaylink.aws.adapter.ServerCaKeyPolicy("arn:aws:iam::" + ACCOUNT + ":role/relay-link-ca-key-admin",
                        List.of("arn:aws:iam::" + ACCOUNT + ":role/relay-link-reconcile", "arn:aws:iam::" + ACCOUNT + ":role/relay-link-rotation"),
                        "arn:aws:iam::" + ACCOUNT + ":role/relay-link-reconcile"));
        // As template.yaml does: the server certificate and server CA secrets exist, without a version, before any function runs.
        aws.secretsManager().createSecret(r -> r.name(spec.aws().serverCertSecretId()).description("relay-link server certificate (test)"));
        aws.secretsManager().createSecret(r -> r.name(settings.serverCaSecretId()).description("relay-link server CA certificates (test)"));
        // and the two confirmations of the CA rotation (ClientCaInGatewaySecret, ServerCaInWorkloadsSecret)
        aws.secretsManager().createSecret(r -> r.name(settings.clientCasInGatewaySecretId()).description("relay-link client CAs in the gateway (test)"));
        aws.secretsManager().createSecret(r -> r.name(settings.serverCasInWorkloadsSecretId()).description("relay-link server CAs in the workloads (test)"));
        // The Azure side publishes its client CA for the gateway (into the stack's ClientCaCertificatesSecret); here the test does.
        aws.secretsManager().createSecret(r -> r.name(settings.clientCaSecretId()).description("relay-link client CA certificates (test)"));
        new SecretsManagerPublishedCas(aws.secretsManager(), settings.clientCaSecretId())
                .publish(List.of(pki.clientCa.certificate()));
        this.link = AwsFunctions.create(spec, settings, aws, eks.client, gateway, clock, audit,
                new PrintStream(metrics, true, StandardCharsets.UTF_8));
    }

    private void seedGateway() {
        String ns = spec.relay().namespace();
        eks.client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName(spec.relay().gatewayService()).endMetadata()
                .withNewSpec().addNewPort().withName("https").withPort(spec.relay().port()).withProtocol("TCP")
                .withNewTargetPort(GATEWAY_POD_PORT).endPort().endSpec().build()).create();
        eks.client.discovery().v1().endpointSlices().inNamespace(ns).resource(new EndpointSliceBuilder()
                .withNewMetadata().withName(spec.relay().gatewayService() + "-a")
                .addToLabels("kubernetes.io/service-name", spec.relay().gatewayService()).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("https").withPort(GATEWAY_POD_PORT).withProtocol("TCP").endPort()
                .withEndpoints(GATEWAY_PODS.stream().map(ip -> new EndpointBuilder().withAddresses(ip)
                        .withNewConditions().withReady(true).endConditions().build()).toList())
                .build()).create();
    }

    /** A sample event from testing/src/main/resources/events, with this world's region. */
    public static ObjectNode event(String name) {
        try (InputStream in = AwsFunctionsWorld.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample event " + name);
            }
            String region = Emulator.region().id();
            return (ObjectNode) JsonLines.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("eu-west-1", region));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A sample event about this world's link, with a new id: the sample's NLB, listener, target group,
     * security group, endpoint service and alarm are replaced with this world's.
     */
    public ObjectNode linkEvent(String name) {
        return fresh(SampleEvents.about(event(name), spec, link.knownEndpointServiceIds().stream().findFirst()));
    }

    /** The same event with a new id, as EventBridge gives every event. */
    public static ObjectNode fresh(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        copy.put("id", UUID.randomUUID().toString());
        return copy;
    }

    /** Invokes {@code handler} in-process as Lambda would, with the raw bytes; returns its JSON result. */
    public HandlerResponse invoke(RequestStreamHandler handler, byte[] raw) {
        return calls.during(handler.getClass().getSimpleName(), () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(raw), out, null);
                return JsonLines.JSON.readValue(out.toByteArray(), HandlerResponse.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public HandlerResponse invoke(RequestStreamHandler handler, JsonNode event) {
        try {
            return invoke(handler, JsonLines.JSON.writeValueAsBytes(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The audit records written since the last call. */
    private int seen;

    public List<AuditRecord> newAuditRecords() {
        List<AuditRecord> all = audit.records();
        List<AuditRecord> fresh = all.subList(seen, all.size());
        seen = all.size();
        return List.copyOf(fresh);
    }

    /** The metric lines (EMF) printed so far. */
    public List<JsonNode> metricLines() {
        return metrics.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return JsonLines.JSON.readTree(l);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    public Optional<String> endpointServiceId() {
        return link.ports().endpointService().describe(spec.name(), spec.aws().nlb().loadBalancerArn()).map(s -> s.serviceId());
    }

    @Override
    public void close() {
        gateway.close();
        eks.close();
        ec2Stub.close();
    }
}
