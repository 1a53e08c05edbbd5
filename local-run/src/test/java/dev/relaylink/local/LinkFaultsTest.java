package dev.relaylink.local;

import static dev.relaylink.local.LocalRun.CONSUMER_ACCOUNT;
import static dev.relaylink.local.LocalRun.STRANGER_ACCOUNT;
import static dev.relaylink.local.LocalRun.STRANGER_SUBSCRIPTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.handler.HandlerResponse;
import dev.relaylink.azure.function.ClientCertificateRotationFunction;
import dev.relaylink.azure.function.PrivateEndpointApprovalFunction;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.PrivateEndpointConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole link under faults, on the same local clouds as the local run: at-least-once and
 * out-of-order delivery, crashes between rotation steps, a failing cluster API, concurrent rotations.
 */
class LinkFaultsTest {
    private static final int LAMBDA_ASYNC_ATTEMPTS = 3; // the first try and Lambda's two retries

    private LocalClouds clouds;
    private LocalFunctions link;

    @BeforeEach
    void bootstrap() throws Exception {
        assumeTrue(System.getenv("AWS_ENDPOINT_URL") != null, "AWS_ENDPOINT_URL is not set: start the AWS emulator (scripts/test does)");
        clouds = new LocalClouds();
        link = new LocalFunctions(clouds);
        link.bootstrap();
    }

    @AfterEach
    void close() throws Exception {
        if (clouds != null) {
            clouds.close();
        }
    }

    /** An event for a function of either side; delivering it returns what the delivery came to. */
    private record Delivery(String name, String eventId, Supplier<String> deliver) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2026, 424242})
    void everyEventDeliveredTwiceInAnyOrderEndsInTheSameStateAndIsAccountedFor(long seed) throws Exception {
        String serviceId = clouds.endpointServiceId().orElseThrow();
        LinkSpec spec = clouds.spec;
        // The world changes, then the events about it arrive: twice each, shuffled.
        clouds.ec2Stub.connect(serviceId, "vpce-0a11c0ffee0000001", CONSUMER_ACCOUNT);
        clouds.ec2Stub.connect(serviceId, "vpce-0bad0000000000001", STRANGER_ACCOUNT);
        String vnet = spec.azure().allowedVnets().iterator().next();
        LocalRun.requestPrivateEndpoint(clouds, spec.azure().subscriptionId(), "aks-rg", "aks-relay-pe", vnet, "10.1.0.4");
        LocalRun.requestPrivateEndpoint(clouds, STRANGER_SUBSCRIPTION, "other-rg", "other-pe", vnet.replace(spec.azure().subscriptionId(), STRANGER_SUBSCRIPTION), "10.9.0.4");
        String listener = clouds.aws.elb().describeListeners(r -> r.loadBalancerArn(spec.aws().nlb().loadBalancerArn())).listeners().get(0).listenerArn();
        clouds.aws.elb().deleteListener(r -> r.listenerArn(listener));
        clouds.aws.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(serviceId).addAllowedPrincipals("arn:aws:iam::" + STRANGER_ACCOUNT + ":root"));

        LinkSpec.Workload checkout = spec.workloads().get(0);
        String nearExpiry = link.events.certificateNearExpiry(checkout,
                clouds.azure.keyVault().certificateVersions(checkout.keyVaultCertificateName()).getLast(),
                clouds.azureLink.ports().clientCertificates().current(checkout.spiffeId(spec.trustDomain())).orElseThrow().leaf());
        List<Delivery> events = new ArrayList<>(List.of(
                aws("sns connect (allowed)", link.endpointConnections, link.events.connectNotification(serviceId, "vpce-0a11c0ffee0000001", CONSUMER_ACCOUNT)),
                aws("sns connect (stranger)", link.endpointConnections, link.events.connectNotification(serviceId, "vpce-0bad0000000000001", STRANGER_ACCOUNT)),
                aws("cloudtrail DeleteListener", link.loadBalancerDrift, link.events.cloudTrail("cloudtrail-elb-delete-listener.json")),
                aws("cloudtrail ModifyVpcEndpointServicePermissions", link.endpointServiceDrift,
                        link.events.cloudTrail("cloudtrail-ec2-modify-endpoint-service-permissions.json")),
                aws("scheduled reconcile", link.awsReconcile, link.events.scheduled()),
                aws("acm approaching expiration", link.serverRotation, link.events.cloudTrail("acm-approaching-expiration.json")),
                azure("key vault near expiry", nearExpiry, () -> link.clientRotation.run(nearExpiry, LocalContext.of(ClientCertificateRotationFunction.NAME))),
                azure("pec write (allowed)", link.events.privateEndpointConnectionWrite("aks-relay-pe.conn")),
                azure("pec write (stranger)", link.events.privateEndpointConnectionWrite("other-pe.conn"))));
        List<Delivery> deliveries = new ArrayList<>(events);
        deliveries.addAll(events);
        Collections.shuffle(deliveries, new Random(seed));
        Map<String, List<String>> outcomes = new HashMap<>();
        deliveries.forEach(d -> outcomes.computeIfAbsent(d.eventId(), k -> new ArrayList<>()).add(d.deliver().get()));

        // the same end state, whatever the order
        assertThat(clouds.ec2Stub.state("vpce-0a11c0ffee0000001")).isEqualTo("available");
        assertThat(clouds.ec2Stub.state("vpce-0bad0000000000001")).isEqualTo("rejected");
        var listeners = clouds.aws.elb().describeListeners(r -> r.loadBalancerArn(spec.aws().nlb().loadBalancerArn())).listeners();
        assertThat(listeners).singleElement().satisfies(l -> assertThat(l.port()).isEqualTo(spec.relay().port()));
        assertThat(clouds.aws.ec2().describeVpcEndpointServicePermissions(r -> r.serviceId(serviceId)).allowedPrincipals())
                .extracting(p -> p.principal()).containsExactlyInAnyOrderElementsOf(spec.aws().endpointService().allowedPrincipals());
        assertThat(LocalRun.privateEndpoint(clouds, "aks-relay-pe.conn").is(PrivateEndpointConnection.APPROVED)).isTrue();
        assertThat(LocalRun.privateEndpoint(clouds, "other-pe.conn").is(PrivateEndpointConnection.REJECTED)).isTrue();
        assertThat(clouds.azureLink.ports().privateDns().aRecord(spec.azure().privateDns().zone(), spec.azure().privateDns().recordName()))
                .containsExactly("10.1.0.4");

        // every delivery is accounted for: the first of each id acted or found nothing to do, the second is a duplicate
        for (Delivery event : events) {
            assertThat(outcomes.get(event.eventId())).as(event.name()).hasSize(2).satisfies(both -> {
                assertThat(both.get(0)).isIn("APPLIED", "NO_CHANGE");
                assertThat(both.get(1)).isEqualTo("DUPLICATE");
            });
        }
    }

    @Test
    void aCrashAfterEachRotationStepThenARetryEndsInTheSameStateWithoutAFailedCall() throws Exception {
        LinkSpec.Workload caller = clouds.spec.workloads().get(0);
        SpiffeId id = caller.spiffeId(clouds.spec.trustDomain());
        clouds.importClientCertificate(id, Instant.now().minus(Duration.ofDays(5))); // due, as in the local run
        List<String> steps = List.of("createSecret", "setSecret", "testSecret", "finishSecret");
        try (WorkloadTraffic traffic = new WorkloadTraffic(clouds, caller)) {
            for (int crashAfter = 1; crashAfter < steps.size(); crashAfter++) {
                String token = UUID.randomUUID().toString();
                for (String step : steps.subList(0, crashAfter)) {
                    LocalRun.expectResult(link.invoke(link.serverRotation, link.events.rotationStep(step, token)),
                            step.equals("testSecret") ? "NO_CHANGE" : "APPLIED");
                }
                Credential pending = clouds.awsLink.ports().serverCertificates().pending(token).orElseThrow();
                traffic.awaitMoreCalls(5);
                // the container died after step `crashAfter`; Secrets Manager runs the rotation again with the same token
                for (String step : steps) {
                    link.invoke(link.serverRotation, link.events.rotationStep(step, token));
                }
                Credential current = clouds.awsLink.ports().serverCertificates().current().orElseThrow();
                assertThat(Certificates.fingerprint(current.leaf())).as("crash after " + steps.get(crashAfter - 1))
                        .isEqualTo(Certificates.fingerprint(pending.leaf()));
                assertThat(servedFingerprint()).isEqualTo(Certificates.fingerprint(current.leaf()));
                traffic.awaitMoreCalls(5);
            }

            // The client rotation crashes between importing the new version and writing the AKS secret.
            String secretPath = "/api/v1/namespaces/" + caller.namespace() + "/secrets/" + caller.secretName();
            clouds.aks.server.expect().put().withPath(secretPath).andReturn(503, "{\"kind\":\"Status\",\"code\":503}").always();
            Credential before = clouds.azureLink.ports().clientCertificates().current(id).orElseThrow();
            List<String> versionsBefore = clouds.azure.keyVault().certificateVersions(caller.keyVaultCertificateName());
            String event = link.events.certificateNearExpiry(caller, versionsBefore.getLast(), before.leaf());
            boolean crashed = false;
            try {
                link.clientRotation.run(event, LocalContext.of(ClientCertificateRotationFunction.NAME));
            } catch (RuntimeException e) {
                crashed = true;
            }
            assertThat(crashed).as("the function fails, so Event Grid retries the event").isTrue();
            assertThat(clouds.azure.keyVault().certificateVersions(caller.keyVaultCertificateName())).hasSize(versionsBefore.size() + 1);
            clouds.aks.clearExpectations();
            link.clientRotation.run(event, LocalContext.of(ClientCertificateRotationFunction.NAME)); // Event Grid's retry
            Credential after = clouds.azureLink.ports().clientCertificates().current(id).orElseThrow();
            assertThat(clouds.azure.keyVault().certificateVersions(caller.keyVaultCertificateName()))
                    .as("the retry issues nothing new").hasSize(versionsBefore.size() + 1);
            assertThat(Certificates.fingerprint(clouds.aksReader.secret(caller.namespace(), caller.secretName())
                    .map(s -> Pem.readCertificates(ClusterReader.value(s, "tls.crt")).get(0)).orElseThrow()))
                    .isEqualTo(Certificates.fingerprint(after.leaf()));
            traffic.awaitMoreCalls(5);
            traffic.close();
            assertThat(traffic.failures()).as("calls during the crashes and retries").isEmpty();
            assertThat(traffic.calls()).isGreaterThan(20);
        }
    }

    @Test
    void anEksApiFailingForAWhileDeadLettersTheRotationWithNothingHalfApplied() throws Exception {
        Credential before = clouds.awsLink.ports().serverCertificates().current().orElseThrow();
        String token = UUID.randomUUID().toString();
        LocalRun.expectResult(link.invoke(link.serverRotation, link.events.rotationStep("createSecret", token)), "APPLIED");
        String tlsSecret = "/api/v1/namespaces/" + clouds.spec.relay().namespace() + "/secrets/" + clouds.spec.relay().tlsSecret();
        clouds.eks.server.expect().put().withPath(tlsSecret).andReturn(503, "{\"kind\":\"Status\",\"code\":503}").always();

        List<JsonNode> deadLetters = new ArrayList<>();
        JsonNode setSecret = link.events.rotationStep("setSecret", token);
        deliverAsync(link.serverRotation, setSecret, deadLetters);

        assertThat(deadLetters).as("after Lambda's retries the event is dead-lettered").containsExactly(setSecret);
        assertThat(clouds.awsLink.ports().serverCertificates().current()).contains(before);
        assertThat(servedFingerprint()).as("the gateway still serves the working certificate").isEqualTo(Certificates.fingerprint(before.leaf()));
        LinkSpec.Workload caller = clouds.spec.workloads().get(0);
        assertThat(dev.relaylink.testing.RelayClient.call(WorkloadFromSecret.context(clouds.aksReader, caller.namespace(), caller.secretName(), clouds.clock),
                clouds.spec.relay().hostName(), clouds.gateway.port(), "still there?")).contains("relay:");

        // The API recovers; the dead letter is redriven and the rotation finishes.
        clouds.eks.clearExpectations();
        List<JsonNode> stillDead = new ArrayList<>();
        deliverAsync(link.serverRotation, deadLetters.getFirst(), stillDead);
        for (String step : List.of("testSecret", "finishSecret")) {
            deliverAsync(link.serverRotation, link.events.rotationStep(step, token), stillDead);
        }
        assertThat(stillDead).isEmpty();
        Credential after = clouds.awsLink.ports().serverCertificates().current().orElseThrow();
        assertThat(Certificates.fingerprint(after.leaf())).isNotEqualTo(Certificates.fingerprint(before.leaf()));
        assertThat(servedFingerprint()).isEqualTo(Certificates.fingerprint(after.leaf()));
    }

    @Test
    void armThrottlingForAWhileLeavesTheConnectionPendingUntilARetryApprovesIt() throws Exception {
        LinkSpec spec = clouds.spec;
        String vnet = spec.azure().allowedVnets().iterator().next();
        LocalRun.requestPrivateEndpoint(clouds, spec.azure().subscriptionId(), "aks-rg", "aks-relay-pe", vnet, "10.1.0.4");
        String event = link.events.privateEndpointConnectionWrite("aks-relay-pe.conn");
        clouds.azure.throttle("PUT", "/privateEndpointConnections/");

        // Event Grid delivers, the function fails after the SDK's own bounded retries; Event Grid retries later
        for (int attempt = 1; attempt <= 2; attempt++) {
            boolean failed = false;
            try {
                link.approval.run(event, LocalContext.of(PrivateEndpointApprovalFunction.NAME));
            } catch (RuntimeException e) {
                failed = true;
            }
            assertThat(failed).as("attempt %d fails while ARM throttles", attempt).isTrue();
            assertThat(LocalRun.privateEndpoint(clouds, "aks-relay-pe.conn").is(PrivateEndpointConnection.PENDING)).isTrue();
            assertThat(clouds.azureLink.ports().privateDns().aRecord(spec.azure().privateDns().zone(), spec.azure().privateDns().recordName()))
                    .as("DNS never points at an endpoint that is not approved").isEmpty();
        }
        assertThat(clouds.azure.requests()).filteredOn(r -> r.status() == 429).hasSizeGreaterThanOrEqualTo(2);

        clouds.azure.stopThrottling();
        link.approval.run(event, LocalContext.of(PrivateEndpointApprovalFunction.NAME)); // the same event, retried
        assertThat(LocalRun.privateEndpoint(clouds, "aks-relay-pe.conn").is(PrivateEndpointConnection.APPROVED)).isTrue();
        assertThat(clouds.azureLink.ports().privateDns().aRecord(spec.azure().privateDns().zone(), spec.azure().privateDns().recordName()))
                .containsExactly("10.1.0.4");
    }

    @Test
    void twoRotationsOfTheSameCertificateAtOnceRotateItOnce() throws Exception {
        // 25 days into a 30-day certificate that renews 10 days before expiry: due.
        Credential due = clouds.importServerCertificate(Instant.now().minus(Duration.ofDays(25)));
        int auditBefore = clouds.awsAudit.records().size();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<HandlerResponse> rotate = () -> link.invoke(link.serverRotation, link.events.cloudTrail("acm-approaching-expiration.json"));
            Future<HandlerResponse> first = pool.submit(rotate);
            Future<HandlerResponse> second = pool.submit(rotate);
            List<String> results = List.of(first.get().result(), second.get().result());
            assertThat(results).containsExactlyInAnyOrder("APPLIED", "NO_CHANGE");
        } finally {
            pool.shutdownNow();
        }
        Credential current = clouds.awsLink.ports().serverCertificates().current().orElseThrow();
        assertThat(Certificates.fingerprint(current.leaf())).isNotEqualTo(Certificates.fingerprint(due.leaf()));
        assertThat(servedFingerprint()).isEqualTo(Certificates.fingerprint(current.leaf()));
        long rotations = clouds.awsAudit.records().subList(auditBefore, clouds.awsAudit.records().size()).stream()
                .filter(r -> r.action().equals("RotateServerCertificate") && r.outcome() == AuditRecord.Outcome.APPLIED).count();
        assertThat(rotations).isEqualTo(1);
    }

    // --- helpers ---

    private Delivery aws(String name, RequestStreamHandler handler, JsonNode event) {
        JsonNode records = event.path("Records");
        String id = records.isArray() ? records.get(0).path("Sns").path("MessageId").asText() : event.path("id").asText();
        return new Delivery(name, id, () -> link.invoke(handler, event).result());
    }

    private Delivery azure(String name, String event) {
        return azure(name, event, () -> link.approval.run(event, LocalContext.of(PrivateEndpointApprovalFunction.NAME)));
    }

    /** An Azure function run on one event; what it came to is read from the audit lines it wrote for the event. */
    private Delivery azure(String name, String event, Runnable function) {
        String id = parse(event).path("id").asText();
        return new Delivery(name, id, () -> {
            int before = azureAudit().size();
            function.run();
            Set<String> written = azureAudit().subList(before, azureAudit().size()).stream()
                    .filter(line -> id.equals(line.path("eventId").asText())).map(line -> line.path("outcome").asText())
                    .collect(Collectors.toSet());
            return Stream.of("DUPLICATE", "REJECTED", "FAILED", "APPLIED", "NO_CHANGE").filter(written::contains).findFirst().orElse("NOTHING RECORDED");
        });
    }

    private List<JsonNode> azureAudit() {
        return clouds.azureLines.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).map(LinkFaultsTest::parse)
                .filter(line -> line.path("type").asText().equals("audit")).toList();
    }

    private static JsonNode parse(String json) {
        try {
            return JsonLines.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Lambda's asynchronous invocation: the first try and two retries, then the dead-letter queue. */
    private void deliverAsync(RequestStreamHandler handler, JsonNode event, List<JsonNode> deadLetters) {
        for (int attempt = 1; attempt <= LAMBDA_ASYNC_ATTEMPTS; attempt++) {
            try {
                link.invoke(handler, event);
                return;
            } catch (RuntimeException e) {
                // retried by Lambda
            }
        }
        deadLetters.add(event);
    }

    private String servedFingerprint() throws Exception {
        return Certificates.fingerprint(clouds.awsLink.ports().gatewayProbe().servedChain(clouds.spec.relay().hostName()).get(0));
    }
}
