package dev.relaylink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.cli.OperatorCommands;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.RelayClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/**
 * {@code relay-link plan}, {@code status} and {@code revoke} on a known world: the local clouds after
 * bootstrap and one accepted connection and private endpoint, reached through the command's own code.
 * The last test drifts the world and proves that plan lists the repairs and makes no write call
 * anywhere: every AWS SDK call, every request to the Azure REST fake and to both API servers is recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCommandsTest {
    /** The local API servers log every request at INFO; the test reads them through MockCluster instead. Held: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private LocalClouds clouds;
    private LocalFunctions link;
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    void world() throws Exception {
        assumeTrue(System.getenv("AWS_ENDPOINT_URL") != null, "AWS_ENDPOINT_URL is not set: start the AWS emulator (scripts/test does)");
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        clouds = new LocalClouds();
        link = new LocalFunctions(clouds);
        link.bootstrap();
        String serviceId = clouds.endpointServiceId().orElseThrow();
        clouds.ec2Stub.connect(serviceId, "vpce-0a11c0ffee0000001", LocalRun.CONSUMER_ACCOUNT);
        link.invoke(link.endpointConnections, link.events.connectNotification(serviceId, "vpce-0a11c0ffee0000001", LocalRun.CONSUMER_ACCOUNT));
        LinkSpec.Azure azure = clouds.spec.azure();
        LocalRun.requestPrivateEndpoint(clouds, azure.subscriptionId(), "aks-rg", "aks-relay-pe", azure.allowedVnets().iterator().next(), "10.1.0.4");
        link.approve("aks-relay-pe.conn");
    }

    @AfterAll
    void close() throws Exception {
        if (clouds != null) {
            clouds.close();
        }
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new OperatorCommands(options -> new LocalConnection(clouds), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clouds.clock).run(List.of(args));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void planOnAConvergedLinkHasNothingToDoAndExitsZero() {
        Run plan = run("plan");
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.out()).isEqualTo("link " + clouds.spec.name() + " (aws and azure): nothing to do\n");
        assertThat(run("plan", "--side", "aws").out()).contains("(aws): nothing to do");
        assertThat(run("plan", "--side", "azure").out()).contains("(azure): nothing to do");
    }

    @Test
    @Order(2)
    void statusJsonDescribesTheWholeLink() throws Exception {
        // One failed event waits in the reconcile function's dead-letter queue.
        String dlq = clouds.sqs.getQueueUrl(r -> r.queueName(clouds.spec.name() + "-reconcile-dlq")).queueUrl();
        clouds.sqs.sendMessage(r -> r.queueUrl(dlq).messageBody("{\"id\":\"failed-event\"}"));

        Run status = run("status", "--json");
        assertThat(status.exit()).as(status.err()).isZero();
        JsonNode json = JsonLines.JSON.readTree(status.out());
        LinkSpec spec = clouds.spec;
        assertThat(json.path("link").asText()).isEqualTo(spec.name());
        assertThat(json.path("endpointService").path("serviceId").asText()).isEqualTo(clouds.endpointServiceId().orElseThrow());
        assertThat(json.path("endpointService").path("acceptanceRequired").asBoolean()).isTrue();
        assertThat(json.path("endpointConnections")).singleElement().satisfies(c -> {
            assertThat(c.path("vpcEndpointId").asText()).isEqualTo("vpce-0a11c0ffee0000001");
            assertThat(c.path("state").asText()).isEqualTo("available");
            assertThat(c.path("allowed").asBoolean()).isTrue();
        });
        assertThat(json.path("loadBalancer").path("listeners")).singleElement()
                .satisfies(l -> assertThat(l.path("port").asInt()).isEqualTo(spec.relay().port()));
        // The example's target mode is the Load Balancer Controller's: relay-link keeps its TargetGroupBinding and
        // neither reads nor lists the targets (its roles may not), so the status has no target rows.
        assertThat(spec.aws().nlb().targets()).isEqualTo(LinkSpec.Targets.CONTROLLER);
        assertThat(json.path("loadBalancer").path("targets")).isEmpty();
        // every trust object present and current: the gateway's three, one secret per workload
        assertThat(json.path("trustObjects")).hasSize(3 + spec.workloads().size())
                .allSatisfy(t -> assertThat(t.path("present").asBoolean()).as(t.toString()).isTrue());
        // the server certificate and each workload's, with the days left and the due flag of the spec's renewal policy
        var server = clouds.awsLink.ports().serverCertificates().current().orElseThrow().leaf();
        assertThat(json.path("certificates")).hasSize(1 + spec.workloads().size());
        JsonNode serverRow = json.path("certificates").get(0);
        assertThat(serverRow.path("serial").asText()).isEqualTo(Certificates.serialHex(server));
        assertThat(serverRow.path("issuer").asText()).isEqualTo(server.getIssuerX500Principal().getName());
        assertThat(serverRow.path("daysLeft").asLong()).isEqualTo(Duration.between(clouds.clock.instant(), server.getNotAfter().toInstant()).toDays());
        assertThat(serverRow.path("due").asBoolean()).isFalse();
        // each CA generation with its state and every place its copy was seen
        assertThat(json.path("cas")).hasSize(2);
        assertThat(json.path("cas").get(0).path("generation").asText()).isEqualTo("issuing");
        assertThat(json.path("cas").get(0).path("copies")).extracting(JsonNode::asText)
                .containsExactly("aws Secrets Manager", "azure Key Vault mirror", "aks workload bundles (confirmed)");
        assertThat(json.path("cas").get(1).path("generation").asText()).isEqualTo("issuing");
        assertThat(json.path("cas").get(1).path("copies")).extracting(JsonNode::asText)
                .containsExactly("azure Key Vault", "aws Secrets Manager copy", "eks gateway bundle", "eks gateway bundle (confirmed)");
        // the gateway's ClientTrafficPolicy as Envoy Gateway reads it: TLS 1.3, client certificates required, one SAN matcher per workload, the CRL
        JsonNode policy = json.path("gatewayPolicy");
        assertThat(policy.path("name").asText()).isEqualTo(spec.relay().namespace() + "/" + spec.relay().clientTrafficPolicy());
        assertThat(policy.path("present").asBoolean()).isTrue();
        assertThat(policy.path("minVersion").asText()).isEqualTo("1.3");
        assertThat(policy.path("mode").asText()).isEqualTo("RequireAndVerify");
        assertThat(policy.path("sanMatchers").asInt()).isEqualTo(spec.workloads().size());
        assertThat(policy.path("crlRefs")).extracting(JsonNode::asText).containsExactly("Secret/" + spec.relay().namespace() + "/" + spec.relay().crlSecret());
        // the client CA's CRL: signed by the client CA, nothing revoked yet, the gateway holds it
        JsonNode crl = json.path("revocationList");
        assertThat(crl.path("published").asBoolean()).isTrue();
        assertThat(crl.path("issuer").asText()).isEqualTo(clouds.azureLink.ports().clientCaCertificates().certificates().get(0).getSubjectX500Principal().getName());
        assertThat(Instant.parse(crl.path("nextUpdate").asText())).isAfter(clouds.clock.instant());
        assertThat(crl.path("revokedSerials")).isEmpty();
        assertThat(crl.path("inGateway").asBoolean()).isTrue();
        // one egress NetworkPolicy per workload, to the approved endpoint and the cluster DNS only
        assertThat(json.path("networkPolicies")).hasSize(spec.workloads().size()).allSatisfy(p -> {
            assertThat(p.path("present").asBoolean()).isTrue();
            assertThat(p.path("relayIps")).extracting(JsonNode::asText).containsExactly("10.1.0.4");
            assertThat(p.path("relayPort").asInt()).isEqualTo(spec.relay().port());
            assertThat(p.path("clusterDns").asBoolean()).isTrue();
            assertThat(p.path("otherRules")).isEmpty();
        });
        assertThat(json.path("privateEndpoints")).singleElement().satisfies(p -> assertThat(p.path("status").asText()).isEqualTo("Approved"));
        assertThat(json.path("dns").path("ipv4")).extracting(JsonNode::asText).containsExactly("10.1.0.4");
        // both sides' last events, newest first
        assertThat(json.path("lastEvents").findValuesAsText("side")).contains("aws", "azure");
        assertThat(json.path("deadLetters")).hasSize(LocalClouds.DEAD_LETTER_QUEUES.size() + 1)
                .anySatisfy(d -> {
                    assertThat(d.path("queue").asText()).endsWith("-reconcile-dlq");
                    assertThat(d.path("messages").asText()).isEqualTo("1");
                })
                .anySatisfy(d -> assertThat(d.path("side").asText() + " " + d.path("messages").asText()).isEqualTo("azure not read"));
        assertThat(json.path("pendingActions")).isEmpty();
    }

    @Test
    @Order(3)
    void planAndStatusMakeExactlyTheReadCallsThatTheOperationsPageGrants() throws Exception {
        clouds.awsCalls.clear();
        assertThat(run("plan").exit()).isZero();
        assertThat(run("status", "--json").exit()).isZero();
        Set<String> made = clouds.awsCalls.calls().stream().map(OperatorCommandsTest::iamAction).collect(java.util.stream.Collectors.toSet());
        String page = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../docs/operations.md"));
        Set<String> granted = java.util.regex.Pattern.compile("(?m)^\\| `([a-z0-9]+:[A-Za-z]+)` \\|").matcher(page).results()
                .map(m -> m.group(1)).collect(java.util.stream.Collectors.toSet());
        assertThat(made).isEqualTo(granted);
    }

    /** The IAM action of an SDK call ("Ec2.DescribeListeners" -> "ec2:DescribeListeners"). */
    private static String iamAction(String call) {
        String service = call.substring(0, call.indexOf('.')).toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        String prefix = switch (service) {
            case "elasticloadbalancingv2" -> "elasticloadbalancing";
            default -> service;
        };
        return prefix + ":" + call.substring(call.indexOf('.') + 1);
    }

    @Test
    @Order(4)
    void statusTextAndHtmlShowTheSameTables() throws Exception {
        Path page = dir.resolve("status.html");
        Run status = run("status", "--html", page.toString());
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("== Endpoint service (1)", "== Certificates (3)", "== Dead letters (7)", "vpce-0a11c0ffee0000001",
                "== Gateway ClientTrafficPolicy (1)", "== Client CA revocation list (1)", "== AKS egress NetworkPolicies (2)",
                "== CA generations and their copies (2)",
                "relay.eks.internal.example  10.1.0.4");
        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<h2>Certificates (3)</h2>", "vpce-0a11c0ffee0000001",
                        "<h2>Gateway ClientTrafficPolicy (1)</h2>", "<h2>Client CA revocation list (1)</h2>", "<h2>AKS egress NetworkPolicies (2)</h2>")
                // self-contained: no script, stylesheet link, image or frame, nothing fetched from anywhere
                .doesNotContain("<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import");
        StatusPageBrowserCheck.ifChromiumPresent(page, dir);
    }

    @Test
    @Order(5)
    void revokeReplacesTheCertificateAndReturnsWithTheOldSerialInTheGatewaysCrlAuditingWhoAsked() throws Exception {
        LinkSpec spec = clouds.spec;
        LinkSpec.Workload workload = spec.workloads().get(0);
        SpiffeId id = workload.spiffeId(spec.trustDomain());
        var before = clouds.azureLink.ports().clientCertificates().current(id).orElseThrow().leaf();
        // a pod still holding the certificate being revoked
        var oldPod = WorkloadFromSecret.context(clouds.aksReader, workload.namespace(), workload.secretName(), clouds.clock);
        assertThat(RelayClient.call(oldPod, spec.relay().hostName(), clouds.gateway.port(), "hello")).contains(id.toString());

        Run refused = run("revoke", "--workload", workload.namespace() + "/nobody");
        assertThat(refused.exit()).isEqualTo(OperatorCommands.ERROR);
        assertThat(refused.err()).contains("is not in link " + spec.name());
        assertThat(clouds.azureLink.ports().clientCertificates().current(id).orElseThrow().leaf()).isEqualTo(before);

        Run revoke = run("revoke", "--workload", workload.namespace() + "/" + workload.serviceAccount(), "--reason", "laptop stolen");
        assertThat(revoke.exit()).as(revoke.err()).isZero();
        var after = clouds.azureLink.ports().clientCertificates().current(id).orElseThrow().leaf();
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        assertThat(clouds.aksReader.secret(workload.namespace(), workload.secretName()).orElseThrow().getMetadata().getAnnotations())
                .containsValue(Certificates.fingerprint(after));
        assertThat(revoke.out()).contains("serial " + Certificates.serialHex(before), Certificates.serialHex(after),
                "the gateway's CRL (" + spec.relay().namespace() + "/" + spec.relay().crlSecret() + ") lists serial " + Certificates.serialHex(before));
        // when revoke returns, the CRL Secret in EKS lists the old serial, and the gateway refuses the old certificate
        var crlSecret = clouds.eks.client.secrets().inNamespace(spec.relay().namespace()).withName(spec.relay().crlSecret()).get();
        X509CRL crl = Pem.readRevocationList(new String(java.util.Base64.getDecoder().decode(crlSecret.getData().get("ca.crl")), StandardCharsets.UTF_8));
        assertThat(crl.isRevoked(before)).isTrue();
        assertThat(crl.isRevoked(after)).isFalse();
        assertThatThrownBy(() -> RelayClient.call(oldPod, spec.relay().hostName(), clouds.gateway.port(), "hello")).isInstanceOf(java.io.IOException.class);
        LocalRun.requireRefusal(clouds, "is revoked", "the refusal comes from the revocation list the ClientTrafficPolicy references");
        assertThat(RelayClient.call(WorkloadFromSecret.context(clouds.aksReader, workload.namespace(), workload.secretName(), clouds.clock),
                spec.relay().hostName(), clouds.gateway.port(), "hello")).contains(id.toString());
        String requester = new LocalConnection(clouds).requester();
        assertThat(requester).startsWith("azure:");
        assertThat(clouds.azureLines.toString(StandardCharsets.UTF_8).lines())
                .anySatisfy(line -> assertThat(line).contains("\"action\":\"RevokeClientCertificate\"", "\"outcome\":\"APPLIED\"",
                        "asked by " + requester + ": laptop stolen", Certificates.serialHex(before), "old serial listed in the gateway's CRL"));
        // and status shows it: the CRL row lists the serial, in the gateway
        JsonNode status = JsonLines.JSON.readTree(run("status", "--json").out());
        assertThat(status.path("revocationList").path("revokedSerials").toString()).contains(Certificates.serialHex(before));
        assertThat(status.path("revocationList").path("inGateway").asBoolean()).isTrue();
        // the workload's new certificate is the current one: nothing left to do
        assertThat(run("plan").exit()).isZero();
    }

    @Test
    @Order(6)
    void planListsEveryRepairOfADriftedLinkExitsTwoAndWritesNothing() {
        LinkSpec spec = clouds.spec;
        String serviceId = clouds.endpointServiceId().orElseThrow();
        // Drift on both sides, made directly in the clouds and clusters.
        Listener listener = clouds.aws.elb().describeListeners(r -> r.loadBalancerArn(spec.aws().nlb().loadBalancerArn())).listeners().get(0);
        clouds.aws.elb().deleteListener(r -> r.listenerArn(listener.listenerArn()));
        clouds.aws.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(serviceId)
                .addAllowedPrincipals("arn:aws:iam::" + LocalRun.STRANGER_ACCOUNT + ":root"));
        clouds.ec2Stub.connect(serviceId, "vpce-0bad0000000000009", LocalRun.STRANGER_ACCOUNT);
        LinkSpec.Workload shipping = spec.workloads().get(1);
        clouds.importClientCertificate(shipping.spiffeId(spec.trustDomain()), Instant.now().minus(Duration.ofDays(6)));
        clouds.aks.client.secrets().inNamespace(shipping.namespace()).withName(shipping.secretName()).delete();
        LinkSpec.Azure azure = spec.azure();
        LocalRun.requestPrivateEndpoint(clouds, LocalRun.STRANGER_SUBSCRIPTION, "other-rg", "other-pe",
                azure.allowedVnets().iterator().next().replace(azure.subscriptionId(), LocalRun.STRANGER_SUBSCRIPTION), "10.9.0.4");

        // From here on every call is recorded.
        clouds.awsCalls.clear();
        clouds.eks.requests();
        clouds.aks.requests();
        int azureSeen = clouds.azure.requests().size();

        Run plan = run("plan");
        assertThat(plan.exit()).as(plan.err()).isEqualTo(OperatorCommands.CHANGES_PENDING);
        assertThat(plan.out()).contains("would run",
                "[aws] CreateListener", "[aws] SetAllowedPrincipals", "[aws] RejectConnections " + serviceId + " [vpce-0bad0000000000009]",
                "[azure] RotateClientCertificate " + shipping.spiffeId(spec.trustDomain()), "[azure] RejectPrivateEndpoint other-pe.conn",
                "because ");

        List<String> awsCalls = clouds.awsCalls.calls();
        assertThat(awsCalls).isNotEmpty().allSatisfy(call -> assertThat(call.substring(call.indexOf('.') + 1))
                .as("AWS call %s", call).matches("(Describe|Get|List|Scan|Query|BatchGet).*"));
        List<AzureFake.RecordedRequest> azureRequests = clouds.azure.requests().subList(azureSeen, clouds.azure.requests().size());
        assertThat(azureRequests).isNotEmpty().allSatisfy(r -> assertThat(r.method()).as(r.path()).isIn("GET", "HEAD"));
        assertThat(clouds.eks.requests()).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith("GET "));
        assertThat(clouds.aks.requests()).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith("GET "));
        // and the world is as drifted as before: the same plan again
        assertThat(run("plan").out()).isEqualTo(plan.out());
        assertThat(clouds.aws.elb().describeListeners(r -> r.loadBalancerArn(spec.aws().nlb().loadBalancerArn())).listeners()).isEmpty();
        assertThat(Set.copyOf(clouds.aws.ec2().describeVpcEndpointServicePermissions(r -> r.serviceId(serviceId)).allowedPrincipals()
                .stream().map(p -> p.principal()).toList())).contains("arn:aws:iam::" + LocalRun.STRANGER_ACCOUNT + ":root");
    }
}
