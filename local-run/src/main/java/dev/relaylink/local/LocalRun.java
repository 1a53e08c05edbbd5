package dev.relaylink.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.cli.OperatorCommands;
import dev.relaylink.aws.handler.HandlerResult;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.tls.MutualTls;
import dev.relaylink.tls.RelayClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * The whole link lifecycle on one machine, driven by the real handlers and functions with events
 * in the published formats: bootstrap, connect, traffic, rotation under load, drift. Prints one line
 * per step and a status table, writes its artifacts to a folder, and exits non-zero when a step fails.
 */
public final class LocalRun {
    static final String CONSUMER_ACCOUNT = "444455556666";
    static final String STRANGER_ACCOUNT = "999988887777";
    static final String STRANGER_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000ff";

    /** The local API servers log every request; the run prints its own lines. Held here: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final Path out;
    private final List<Map<String, Object>> status = new ArrayList<>();

    private LocalRun(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        Path out = Path.of(args.length > 0 ? args[0] : "out/local-run").toAbsolutePath();
        System.exit(run(out) ? 0 : 1);
    }

    /** Runs every step and writes the artifacts into {@code out}; true when the link came out healthy. */
    static boolean run(Path out) throws Exception {
        Files.createDirectories(out);
        return new LocalRun(out).run();
    }

    private boolean run() throws Exception {
        try (LocalClouds clouds = new LocalClouds()) {
            LocalLink link = new LocalLink(clouds);
            System.out.println("relay-link local run: link " + clouds.spec.name() + "; AWS emulator, EC2 connection stub, Azure REST fake, "
                    + "EKS and AKS API servers and the EKS gateway on 127.0.0.1; artifacts in " + out);
            step("1 bootstrap", () -> bootstrap(link));
            step("2 connect", () -> connect(link));
            step("3 traffic", () -> traffic(link));
            RotationUnderLoad rotation = new RotationUnderLoad(link);
            step("4 rotation", rotation::run);
            status.getLast().put("figures", rotation.figures);
            step("5 drift", () -> drift(link));
            operatorView(clouds);
            writeArtifacts(clouds);
        }
        return printStatus();
    }

    // --- steps ---

    private String bootstrap(LocalLink link) {
        LocalClouds clouds = link.clouds;
        link.bootstrap();
        require(clouds.endpointServiceId().isPresent(), "the endpoint service exists");
        require(clouds.awsLink.ports().serverCertificates().current().isPresent(), "a current server certificate");
        for (LinkSpec.Workload workload : clouds.spec.workloads()) {
            require(clouds.azureLink.ports().clientCertificates().current(workload.spiffeId(clouds.spec.trustDomain())).isPresent(),
                    "a client certificate for " + workload.namespace() + "/" + workload.serviceAccount());
            require(clouds.aksReader.secret(workload.namespace(), workload.secretName()).isPresent(), "the workload's AKS secret");
        }
        LinkSpec.Relay relay = clouds.spec.relay();
        require(clouds.eksReader.secret(relay.namespace(), relay.tlsSecret()).isPresent(), "the gateway's TLS secret");
        expectResult(link.invoke(link.awsReconcile, link.events.scheduled()), "NO_CHANGE");
        return "endpoint service " + clouds.endpointServiceId().orElseThrow() + " locked down; NLB listener, targets and rules; server CA (KMS) "
                + "and client CA (Key Vault) exchanged; server cert for " + relay.hostName() + "; " + clouds.spec.workloads().size()
                + " client certs; EKS and AKS secrets; a second reconcile finds nothing to do";
    }

    private String connect(LocalLink link) {
        LocalClouds clouds = link.clouds;
        String serviceId = clouds.endpointServiceId().orElseThrow();
        clouds.ec2Stub.connect(serviceId, "vpce-0a11c0ffee0000001", CONSUMER_ACCOUNT);
        clouds.ec2Stub.connect(serviceId, "vpce-0bad0000000000001", STRANGER_ACCOUNT);
        link.invoke(link.endpointConnections, link.events.connectNotification(serviceId, "vpce-0a11c0ffee0000001", CONSUMER_ACCOUNT));
        link.invoke(link.endpointConnections, link.events.connectNotification(serviceId, "vpce-0bad0000000000001", STRANGER_ACCOUNT));
        require(clouds.ec2Stub.state("vpce-0a11c0ffee0000001").equals("available"), "the allowed account's endpoint is accepted");
        require(clouds.ec2Stub.state("vpce-0bad0000000000001").equals("rejected"), "the stranger's endpoint is rejected");

        LinkSpec.Azure azure = clouds.spec.azure();
        String vnet = azure.allowedVnets().iterator().next();
        requestPrivateEndpoint(clouds, azure.subscriptionId(), "aks-rg", "aks-relay-pe", vnet, "10.1.0.4");
        requestPrivateEndpoint(clouds, STRANGER_SUBSCRIPTION, "other-rg", "other-pe",
                vnet.replace(azure.subscriptionId(), STRANGER_SUBSCRIPTION), "10.9.0.4");
        link.approve("aks-relay-pe.conn");
        link.approve("other-pe.conn");
        require(privateEndpoint(clouds, "aks-relay-pe.conn").is(PrivateEndpointConnection.APPROVED), "the AKS private endpoint is approved");
        require(privateEndpoint(clouds, "other-pe.conn").is(PrivateEndpointConnection.REJECTED), "the stranger's private endpoint is rejected");
        Set<String> dns = clouds.azureLink.ports().privateDns().aRecord(azure.privateDns().zone(), azure.privateDns().recordName());
        require(dns.equals(Set.of("10.1.0.4")), "the relay host name resolves to the approved endpoint, not " + dns);
        return "vpce from " + CONSUMER_ACCOUNT + " accepted, from " + STRANGER_ACCOUNT + " rejected; private endpoint from the AKS VNet approved, "
                + "from subscription ...00ff rejected; " + azure.privateDns().recordName() + "." + azure.privateDns().zone() + " -> 10.1.0.4";
    }

    private String traffic(LocalLink link) throws IOException {
        LocalClouds clouds = link.clouds;
        LinkSpec spec = clouds.spec;
        LinkSpec.Workload allowed = spec.workloads().get(0);
        String answer = RelayClient.call(WorkloadFromSecret.context(clouds.aksReader, allowed.namespace(), allowed.secretName()),
                spec.relay().hostName(), clouds.gateway.port(), "hello");
        require(answer.contains(allowed.spiffeId(spec.trustDomain()).toString()), "relay answers the allowed workload");
        // A pod holding a valid certificate from the trusted client CA, for a workload not on the allow-list.
        SpiffeId stranger = new SpiffeId(spec.trustDomain(), allowed.namespace(), "reporting");
        KeyPair key = Keys.generateP256();
        Credential strangerCredential = new Credential(key.getPrivate(), List.of(clouds.azureLink.ports().clientCa().current().orElseThrow()
                .issueClient(key.getPublic(), stranger, Instant.now(), Duration.ofDays(1))));
        var strangerContext = MutualTls.clientContext(strangerCredential, TrustBundle.of(clouds.awsLink.ports().serverCaCertificates().certificates()));
        boolean refused = false;
        try {
            RelayClient.call(strangerContext, spec.relay().hostName(), clouds.gateway.port(), "hello");
        } catch (IOException expected) {
            refused = true;
        }
        require(refused, "a workload that is not on the allow-list is refused");
        return "'" + answer + "'; " + stranger + " (valid certificate, not allow-listed) refused";
    }

    private String drift(LocalLink link) {
        LocalClouds clouds = link.clouds;
        LinkSpec.Nlb nlb = clouds.spec.aws().nlb();
        String serviceId = clouds.endpointServiceId().orElseThrow();
        List<String> repaired = new ArrayList<>();

        Listener listener = clouds.aws.elb().describeListeners(r -> r.loadBalancerArn(nlb.loadBalancerArn())).listeners().get(0);
        clouds.aws.elb().deleteListener(r -> r.listenerArn(listener.listenerArn()));
        expectResult(link.invoke(link.loadBalancerDrift, link.events.cloudTrail("cloudtrail-elb-delete-listener.json")), "APPLIED");
        var listeners = clouds.aws.elb().describeListeners(r -> r.loadBalancerArn(nlb.loadBalancerArn())).listeners();
        require(listeners.size() == 1 && listeners.get(0).port() == clouds.spec.relay().port(), "one listener on the relay port again");
        repaired.add("listener deleted -> recreated");

        clouds.aws.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(serviceId).addAllowedPrincipals("arn:aws:iam::" + STRANGER_ACCOUNT + ":root"));
        expectResult(link.invoke(link.endpointServiceDrift, link.events.cloudTrail("cloudtrail-ec2-modify-endpoint-service-permissions.json")), "APPLIED");
        var principals = clouds.aws.ec2().describeVpcEndpointServicePermissions(r -> r.serviceId(serviceId)).allowedPrincipals().stream()
                .map(p -> p.principal()).collect(java.util.stream.Collectors.toSet());
        require(principals.equals(clouds.spec.aws().endpointService().allowedPrincipals()), "principals narrowed back, not " + principals);
        repaired.add("principals widened -> narrowed");

        clouds.aws.elb().deregisterTargets(r -> r.targetGroupArn(nlb.targetGroupArn())
                .targets(TargetDescription.builder().id(LocalClouds.GATEWAY_POD).port(LocalClouds.GATEWAY_POD_PORT).build()));
        expectResult(link.invoke(link.loadBalancerDrift, link.events.cloudTrail("cloudtrail-elb-deregister-targets.json")), "APPLIED");
        var targets = clouds.aws.elb().describeTargetHealth(r -> r.targetGroupArn(nlb.targetGroupArn())).targetHealthDescriptions();
        require(targets.stream().anyMatch(t -> t.target().id().equals(LocalClouds.GATEWAY_POD)), "the gateway pod registered again");
        repaired.add("target deregistered -> registered");

        LinkSpec.Azure azure = clouds.spec.azure();
        requestPrivateEndpoint(clouds, STRANGER_SUBSCRIPTION, "late-rg", "late-pe",
                azure.allowedVnets().iterator().next().replace(azure.subscriptionId(), STRANGER_SUBSCRIPTION), "10.9.0.5");
        link.approve("late-pe.conn");
        require(privateEndpoint(clouds, "late-pe.conn").is(PrivateEndpointConnection.REJECTED), "the late stranger's private endpoint is rejected");
        repaired.add("stranger's private endpoint -> rejected");
        return String.join("; ", repaired);
    }

    /**
     * What {@code relay-link plan} and {@code relay-link status} print for the world the run leaves, with the
     * command's own code; the status page goes to the artifacts. A link the run left healthy has nothing to plan.
     */
    private void operatorView(LocalClouds clouds) {
        OperatorCommands commands = new OperatorCommands(options -> new LocalConnection(clouds), System.out, System.err, clouds.clock);
        Path page = out.resolve("status.html");
        System.out.println();
        System.out.println("$ relay-link plan");
        int plan = commands.run(List.of("plan"));
        System.out.println("$ relay-link status --html " + page);
        int status = commands.run(List.of("status", "--html", page.toString()));
        step("6 plan", () -> {
            require(plan == OperatorCommands.OK, "relay-link plan finds nothing to do (exit 0, not " + plan + ")");
            require(status == OperatorCommands.OK, "relay-link status succeeds (exit 0, not " + status + ")");
            return "relay-link plan: nothing to do; relay-link status written to " + page.getFileName();
        });
    }

    // --- helpers ---

    static void requestPrivateEndpoint(LocalClouds clouds, String subscription, String resourceGroup, String name, String vnet, String ip) {
        LinkSpec.Azure azure = clouds.spec.azure();
        String plsId = "/subscriptions/" + azure.subscriptionId() + "/resourceGroups/" + azure.resourceGroup()
                + "/providers/Microsoft.Network/privateLinkServices/" + azure.privateLinkService();
        String endpoint = clouds.azure.arm().privateEndpoint(subscription, resourceGroup, name, vnet, ip);
        clouds.azure.arm().requestConnection(plsId, name + ".conn", endpoint);
    }

    static PrivateEndpointConnection privateEndpoint(LocalClouds clouds, String connection) {
        return clouds.azureLink.ports().privateLinkService().connection(connection)
                .orElseThrow(() -> new IllegalStateException("no private endpoint connection " + connection));
    }

    static void expectResult(HandlerResult result, String expected) {
        if (!expected.equals(result.result())) {
            throw new IllegalStateException(result.handler() + " answered " + result.result() + " (" + result.reason() + "), expected " + expected);
        }
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("expected: " + what);
        }
    }

    private interface StepBody {
        String run() throws Exception;
    }

    private void step(String name, StepBody body) {
        long start = System.nanoTime();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", name);
        try {
            row.put("detail", body.run());
            row.put("ok", true);
        } catch (Exception | AssertionError e) {
            StringBuilder detail = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                detail.append(" <- ").append(cause.getMessage());
            }
            row.put("detail", detail.toString());
            row.put("ok", false);
        }
        row.put("millis", (System.nanoTime() - start) / 1_000_000);
        status.add(row);
        System.out.printf("[%s] %-12s %s%n", Boolean.TRUE.equals(row.get("ok")) ? " OK " : "FAIL", name, row.get("detail"));
    }

    private void writeArtifacts(LocalClouds clouds) throws IOException {
        Path certs = Files.createDirectories(out.resolve("certs"));
        var serverCas = clouds.awsLink.ports().serverCaCertificates().certificates();
        var clientCas = clouds.azureLink.ports().clientCaCertificates().certificates();
        if (!serverCas.isEmpty()) {
            Files.writeString(certs.resolve("server-ca.pem"), TrustBundle.of(serverCas).pem());
        }
        if (!clientCas.isEmpty()) {
            Files.writeString(certs.resolve("client-ca.pem"), TrustBundle.of(clientCas).pem());
        }
        clouds.awsLink.ports().serverCertificates().current()
                .ifPresent(server -> write(certs.resolve("server.pem"), Pem.write(server.chain())));
        for (LinkSpec.Workload workload : clouds.spec.workloads()) {
            clouds.azureLink.ports().clientCertificates().current(workload.spiffeId(clouds.spec.trustDomain())).ifPresent(client ->
                    write(certs.resolve("client-" + workload.namespace() + "-" + workload.serviceAccount() + ".pem"), Pem.write(client.chain())));
        }
        Files.writeString(certs.resolve("summary.json"), JsonLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary(certs)));
        StringBuilder audit = new StringBuilder();
        for (AuditRecord record : clouds.awsAudit.records()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("side", "aws");
            line.putAll(JsonLines.JSON.convertValue(record, Map.class));
            audit.append(JsonLines.JSON.writeValueAsString(line)).append('\n');
        }
        for (String text : clouds.azureLines.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!text.isBlank()) {
                JsonNode line = JsonLines.JSON.readTree(text);
                if (line.path("type").asText().equals("audit")) {
                    Map<String, Object> record = new LinkedHashMap<>();
                    record.put("side", "azure");
                    record.putAll(JsonLines.JSON.convertValue(line, Map.class));
                    record.remove("type");
                    audit.append(JsonLines.JSON.writeValueAsString(record)).append('\n');
                }
            }
        }
        Files.writeString(out.resolve("audit.jsonl"), audit);
        Files.writeString(out.resolve("status.json"), JsonLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status));
    }

    /** What each PEM file in {@code certs} holds, for a reader without openssl at hand. */
    private static List<Map<String, Object>> summary(Path certs) throws IOException {
        List<Map<String, Object>> files = new ArrayList<>();
        try (var pems = Files.list(certs)) {
            for (Path file : pems.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
                for (var certificate : Pem.readCertificates(Files.readString(file))) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("file", file.getFileName().toString());
                    entry.put("subject", certificate.getSubjectX500Principal().getName());
                    entry.put("issuer", certificate.getIssuerX500Principal().getName());
                    entry.put("serial", Certificates.serialHex(certificate));
                    entry.put("dnsNames", Certificates.dnsNames(certificate));
                    entry.put("spiffeId", Certificates.spiffeId(certificate).map(Object::toString).orElse(null));
                    entry.put("notBefore", certificate.getNotBefore().toInstant().toString());
                    entry.put("notAfter", certificate.getNotAfter().toInstant().toString());
                    entry.put("sha256", Certificates.fingerprint(certificate));
                    files.add(entry);
                }
            }
        }
        return files;
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean printStatus() {
        boolean ok = status.stream().allMatch(row -> Boolean.TRUE.equals(row.get("ok")));
        System.out.println();
        System.out.printf("%-12s %-6s %8s%n", "step", "result", "ms");
        status.forEach(row -> System.out.printf("%-12s %-6s %8d%n", row.get("step"), Boolean.TRUE.equals(row.get("ok")) ? "ok" : "FAILED", row.get("millis")));
        System.out.println((ok ? "link healthy" : "link NOT healthy") + "; artifacts: " + out + " (certs/ with summary.json, audit.jsonl, status.json, status.html)");
        System.out.println("check: openssl verify -CAfile " + out.resolve("certs/client-ca.pem") + " " + out.resolve("certs/client-payments-checkout.pem"));
        return ok;
    }

    static String shortSerial(Credential credential) {
        String serial = Certificates.serialHex(credential.leaf());
        return serial.length() > 8 ? serial.substring(0, 8) : serial;
    }

}
