package dev.relaylink.local;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.k8s.KubernetesClusterSecrets;
import dev.relaylink.k8s.KubernetesGatewayEndpoints;
import dev.relaylink.link.ClientCertificateRotation;
import dev.relaylink.link.InMemoryIdempotencyStore;
import dev.relaylink.link.InMemoryLinkLock;
import dev.relaylink.link.LinkPorts;
import dev.relaylink.link.LinkSteps;
import dev.relaylink.link.PortObserver;
import dev.relaylink.link.Reconciler;
import dev.relaylink.link.ServerCertificateRotation;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.plan.Concern;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpecReader;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.state.Target;
import dev.relaylink.testing.InMemoryLink;
import dev.relaylink.testing.MockCluster;
import dev.relaylink.testing.TestSpecs;
import dev.relaylink.tls.MutualTls;
import dev.relaylink.tls.RelayClient;
import dev.relaylink.tls.RelayGateway;
import dev.relaylink.tls.TlsGatewayProbe;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole link lifecycle on one machine: bootstrap, connect, traffic, rotation under load, drift.
 * Prints one line per step and a status table, writes its artifacts to a folder, and exits non-zero
 * when any step fails.
 */
public final class LocalRun {
    private static final int TRAFFIC_CALL_LIMIT = 2_000;

    private final LinkSpec spec = LinkSpecReader.readResource("examples/link.yaml");
    private final Clock clock = Clock.systemUTC();
    private final Path out;
    private final List<Map<String, Object>> status = new ArrayList<>();
    private final AuditLog.InMemory audit = new AuditLog.InMemory();

    private LocalRun(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        // The local API servers log every request through java.util.logging; the run prints its own lines.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        Path out = Path.of(args.length > 0 ? args[0] : "out/local-run").toAbsolutePath();
        Files.createDirectories(out);
        boolean ok = new LocalRun(out).run();
        System.exit(ok ? 0 : 1);
    }

    private boolean run() throws Exception {
        System.out.println("relay-link local run: link " + spec.name() + ", artifacts in " + out);
        InMemoryLink clouds = new InMemoryLink();
        try (MockCluster eksCluster = new MockCluster(); MockCluster aksCluster = new MockCluster()) {
            seedEks(eksCluster);
            ClusterReader eks = new ClusterReader(eksCluster.client);
            ClusterReader aks = new ClusterReader(aksCluster.client);
            try (RelayGateway gateway = RelayGateway.start(new GatewayFromSecrets(eks, spec.relay()))) {
                LinkPorts ports = LinkPorts.builder()
                        .endpointService(clouds.ports().endpointService()).loadBalancer(clouds.ports().loadBalancer())
                        .gatewayEndpoints(new KubernetesGatewayEndpoints(eksCluster.client))
                        .serverCa(clouds.serverCa).serverCertificates(clouds.serverCertificates)
                        .gatewayProbe(new TlsGatewayProbe(new InetSocketAddress("127.0.0.1", gateway.port())))
                        .eks(new KubernetesClusterSecrets(eksCluster.client))
                        .clientCa(clouds.clientCa).clientCertificates(clouds.clientCertificates)
                        .privateLinkService(clouds.ports().privateLinkService()).privateDns(clouds.ports().privateDns())
                        .aks(new KubernetesClusterSecrets(aksCluster.client)).build();
                var serverRotation = new ServerCertificateRotation(spec, ports.serverCa(), ports.serverCertificates(), ports.eks(),
                        ports.gatewayProbe(), clock, 10, Duration.ofMillis(100));
                var clientRotation = new ClientCertificateRotation(spec, ports.clientCa(), ports.clientCertificates(),
                        ports.serverCaCertificates(), ports.aks(), clock);
                Reconciler reconciler = new Reconciler(spec, new PortObserver(spec, ports),
                        LinkSteps.executor(spec, ports, serverRotation, clientRotation, audit, clock),
                        new InMemoryIdempotencyStore(clock, Duration.ofMinutes(5)), new InMemoryLinkLock(clock), audit, clock, 50, Duration.ofMillis(100));

                step("1 bootstrap", () -> bootstrap(reconciler, clouds));
                step("2 connect", () -> connect(reconciler, clouds));
                step("3 traffic", () -> traffic(gateway, aks, clouds));
                step("4 rotation", () -> rotation(reconciler, serverRotation, clientRotation, clouds, gateway, aks));
                step("5 drift", () -> drift(reconciler, clouds));
                writeArtifacts(clouds, aks);
            }
        }
        return printStatus();
    }

    // --- steps ---

    private String bootstrap(Reconciler reconciler, InMemoryLink clouds) {
        reconciler.handle("bootstrap-" + UUID.randomUUID(), Concern.ALL);
        require(clouds.service != null && clouds.service.acceptanceRequired(), "endpoint service locked down");
        require(clouds.serverCertificates.current().isPresent(), "server certificate issued");
        require(clouds.clientCertificates.versions.size() == spec.workloads().size(), "one client certificate per workload");
        return "endpoint service " + clouds.service.serviceId() + " (acceptance required), server CA + client CA, server cert for "
                + spec.relay().hostName() + ", " + clouds.clientCertificates.versions.size() + " client certs, EKS and AKS secrets written";
    }

    private String connect(Reconciler reconciler, InMemoryLink clouds) {
        clouds.connections.put("vpce-allowed", new EndpointConnection("vpce-allowed", TestSpecs.CONSUMER_ACCOUNT, EndpointConnection.PENDING_ACCEPTANCE));
        clouds.connections.put("vpce-stranger", new EndpointConnection("vpce-stranger", TestSpecs.STRANGER_ACCOUNT, EndpointConnection.PENDING_ACCEPTANCE));
        reconciler.handle("connect-" + UUID.randomUUID(), Set.of(Concern.ENDPOINT_SERVICE, Concern.ENDPOINT_CONNECTIONS));
        clouds.privateEndpoints.put("pe-aks", new PrivateEndpointConnection("pe-aks", "/pe/aks", TestSpecs.SUBSCRIPTION, TestSpecs.VNET,
                PrivateEndpointConnection.PENDING, "10.1.0.4"));
        clouds.privateEndpoints.put("pe-stranger", new PrivateEndpointConnection("pe-stranger", "/pe/x", TestSpecs.STRANGER_SUBSCRIPTION, TestSpecs.VNET,
                PrivateEndpointConnection.PENDING, "10.9.0.4"));
        reconciler.handle("approve-" + UUID.randomUUID(), Set.of(Concern.PRIVATE_ENDPOINTS, Concern.PRIVATE_DNS));
        require(clouds.connections.get("vpce-allowed").state().equals(EndpointConnection.AVAILABLE), "allowed endpoint accepted");
        require(clouds.connections.get("vpce-stranger").state().equals(EndpointConnection.REJECTED), "stranger's endpoint rejected");
        require(clouds.privateEndpoints.get("pe-aks").is(PrivateEndpointConnection.APPROVED), "allowed private endpoint approved");
        require(clouds.privateEndpoints.get("pe-stranger").is(PrivateEndpointConnection.REJECTED), "stranger's private endpoint rejected");
        require(clouds.dnsRecord.equals(Set.of("10.1.0.4")), "DNS points at the approved endpoint");
        return "vpce-allowed accepted, vpce-stranger rejected; pe-aks approved, pe-stranger rejected; "
                + spec.azure().privateDns().recordName() + "." + spec.azure().privateDns().zone() + " -> 10.1.0.4";
    }

    private String traffic(RelayGateway gateway, ClusterReader aks, InMemoryLink clouds) throws IOException {
        LinkSpec.Workload allowed = spec.workloads().get(0);
        String answer = RelayClient.call(WorkloadFromSecret.context(aks, allowed.namespace(), allowed.secretName()),
                spec.relay().hostName(), gateway.port(), "hello");
        require(answer.contains(allowed.spiffeId(spec.trustDomain()).toString()), "relay answered the allowed workload");
        // A pod with a valid client certificate from the trusted client CA, but not on the allow-list.
        SpiffeId stranger = new SpiffeId(spec.trustDomain(), "payments", "reporting");
        KeyPair key = Keys.generateP256();
        Credential strangerCredential = new Credential(key.getPrivate(),
                List.of(clouds.clientCa.current().orElseThrow().issueClient(key.getPublic(), stranger, clock.instant(), Duration.ofDays(1))));
        var strangerContext = MutualTls.clientContext(strangerCredential, TrustBundle.of(clouds.serverCa.certificates()));
        boolean refused;
        try {
            RelayClient.call(strangerContext, spec.relay().hostName(), gateway.port(), "hello");
            refused = false;
        } catch (IOException expected) {
            refused = true;
        }
        require(refused, "a workload not on the allow-list is refused");
        return "'" + answer + "'; " + stranger + " (valid cert, not allow-listed) refused";
    }

    private String rotation(Reconciler reconciler, ServerCertificateRotation serverRotation, ClientCertificateRotation clientRotation,
                            InMemoryLink clouds, RelayGateway gateway, ClusterReader aks) throws Exception {
        LinkSpec.Workload caller = spec.workloads().get(0);
        SpiffeId id = caller.spiffeId(spec.trustDomain());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<String> failureReasons = new ArrayList<>();
        Thread loop = Thread.ofPlatform().name("workload-traffic").start(() -> {
            while (!stop.get() && calls.get() < TRAFFIC_CALL_LIMIT) {
                calls.incrementAndGet();
                try {
                    RelayClient.call(WorkloadFromSecret.context(aks, caller.namespace(), caller.secretName()), spec.relay().hostName(), gateway.port(), "ping");
                } catch (Exception e) {
                    failures.incrementAndGet();
                    synchronized (failureReasons) {
                        failureReasons.add(e.toString());
                    }
                }
            }
        });
        try {
            String oldClient = Certificates.serialHex(clouds.clientCertificates.current(id).orElseThrow().leaf());
            Instant expiring = clouds.clientCertificates.current(id).orElseThrow().leaf().getNotAfter().toInstant();
            Thread.sleep(200);
            long clientStart = System.nanoTime();
            reconciler.once("kv-near-expiry-" + UUID.randomUUID(), "ClientCertificateRotation", () -> {
                clientRotation.rotate(id, Optional.of(expiring));
                return true;
            });
            long clientMillis = (System.nanoTime() - clientStart) / 1_000_000;
            Thread.sleep(200);
            String oldServer = Certificates.serialHex(clouds.serverCertificates.current().orElseThrow().leaf());
            long serverStart = System.nanoTime();
            reconciler.once("server-rotation-" + UUID.randomUUID(), "ServerCertificateRotation", () -> {
                serverRotation.rotate(UUID.randomUUID().toString());
                return true;
            });
            long serverMillis = (System.nanoTime() - serverStart) / 1_000_000;
            Thread.sleep(200);
            stop.set(true);
            loop.join(30_000);
            String newClient = Certificates.serialHex(clouds.clientCertificates.current(id).orElseThrow().leaf());
            String newServer = Certificates.serialHex(clouds.serverCertificates.current().orElseThrow().leaf());
            require(!newClient.equals(oldClient), "client certificate rotated");
            require(!newServer.equals(oldServer), "server certificate rotated");
            require(failures.get() == 0, failures.get() + " failed calls: " + failureReasons.stream().limit(3).toList());
            return String.format("client %s -> %s in %d ms, server %s -> %s in %d ms (event to serving); %d calls, %d failed",
                    shortSerial(oldClient), shortSerial(newClient), clientMillis, shortSerial(oldServer), shortSerial(newServer), serverMillis,
                    calls.get(), failures.get());
        } finally {
            stop.set(true);
            loop.join(30_000);
        }
    }

    private String drift(Reconciler reconciler, InMemoryLink clouds) {
        clouds.listeners.clear();
        clouds.ports().endpointService().modifyPermissions(clouds.service.serviceId(), Set.of("arn:aws:iam::" + TestSpecs.STRANGER_ACCOUNT + ":root"), Set.of());
        Target registered = clouds.targets.iterator().next();
        clouds.targets.remove(registered);
        clouds.privateEndpoints.put("pe-late-stranger", new PrivateEndpointConnection("pe-late-stranger", "/pe/y", TestSpecs.STRANGER_SUBSCRIPTION,
                TestSpecs.VNET, PrivateEndpointConnection.PENDING, "10.9.0.5"));
        reconciler.handle("drift-" + UUID.randomUUID(), Concern.ALL);
        require(clouds.listeners.size() == 1, "listener restored");
        require(clouds.service.allowedPrincipals().equals(spec.aws().endpointService().allowedPrincipals()), "principals narrowed back");
        require(clouds.targets.contains(registered), "target re-registered");
        require(clouds.privateEndpoints.get("pe-late-stranger").is(PrivateEndpointConnection.REJECTED), "late stranger rejected");
        return "listener deleted -> restored; principals widened -> narrowed; " + registered + " deregistered -> registered; pe-late-stranger rejected";
    }

    // --- plumbing ---

    private void seedEks(MockCluster eks) {
        // What the EKS cluster already runs: the gateway Service and its ready endpoints.
        LinkSpec.Relay relay = spec.relay();
        eks.client.services().inNamespace(relay.namespace()).resource(new ServiceBuilder().withNewMetadata().withName(relay.gatewayService())
                .withNamespace(relay.namespace()).endMetadata().withNewSpec().addNewPort().withName("https").withPort(relay.port())
                .withNewTargetPort(10443).endPort().endSpec().build()).create();
        eks.client.discovery().v1().endpointSlices().inNamespace(relay.namespace()).resource(new EndpointSliceBuilder().withNewMetadata()
                .withName(relay.gatewayService() + "-abc").withNamespace(relay.namespace())
                .addToLabels("kubernetes.io/service-name", relay.gatewayService()).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("https").withPort(10443).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("10.0.1.10").withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.0.2.10").withNewConditions().withReady(true).endConditions().endEndpoint()
                .build()).create();
    }

    private interface StepBody {
        String run() throws Exception;
    }

    private void step(String name, StepBody body) {
        long start = System.nanoTime();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", name);
        try {
            String detail = body.run();
            row.put("ok", true);
            row.put("detail", detail);
        } catch (Exception | AssertionError e) {
            row.put("ok", false);
            StringBuilder detail = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                detail.append(" <- ").append(cause.getMessage());
            }
            row.put("detail", detail.toString());
        }
        row.put("millis", (System.nanoTime() - start) / 1_000_000);
        status.add(row);
        System.out.printf("[%s] %-12s %s%n", Boolean.TRUE.equals(row.get("ok")) ? " OK " : "FAIL", name, row.get("detail"));
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("expected: " + what);
        }
    }

    private static String shortSerial(String serial) {
        return serial.length() > 8 ? serial.substring(0, 8) : serial;
    }

    private void writeArtifacts(InMemoryLink clouds, ClusterReader aks) throws IOException {
        Path certs = Files.createDirectories(out.resolve("certs"));
        Files.writeString(certs.resolve("server-ca.pem"), TrustBundle.of(clouds.serverCa.certificates()).pem());
        Files.writeString(certs.resolve("client-ca.pem"), TrustBundle.of(clouds.clientCa.certificates()).pem());
        Files.writeString(certs.resolve("server.pem"), Pem.write(clouds.serverCertificates.current().orElseThrow().chain()));
        for (LinkSpec.Workload workload : spec.workloads()) {
            var credential = clouds.clientCertificates.current(workload.spiffeId(spec.trustDomain())).orElseThrow();
            Files.writeString(certs.resolve("client-" + workload.namespace() + "-" + workload.serviceAccount() + ".pem"), Pem.write(credential.chain()));
        }
        StringBuilder lines = new StringBuilder();
        for (AuditRecord record : audit.records()) {
            lines.append(JsonLines.JSON.writeValueAsString(record)).append('\n');
        }
        Files.writeString(out.resolve("audit.jsonl"), lines);
        Files.writeString(out.resolve("status.json"), JsonLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status));
    }

    private boolean printStatus() {
        boolean ok = status.stream().allMatch(row -> Boolean.TRUE.equals(row.get("ok")));
        System.out.println();
        System.out.printf("%-12s %-6s %8s%n", "step", "result", "ms");
        status.forEach(row -> System.out.printf("%-12s %-6s %8d%n", row.get("step"), Boolean.TRUE.equals(row.get("ok")) ? "ok" : "FAILED", row.get("millis")));
        System.out.println((ok ? "link healthy" : "link NOT healthy") + "; artifacts: " + out
                + " (certs/, audit.jsonl, status.json); check with: openssl verify -CAfile " + out.resolve("certs/client-ca.pem") + " "
                + out.resolve("certs/client-payments-checkout.pem"));
        return ok;
    }
}
