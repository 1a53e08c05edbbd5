package dev.relaylink.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.cli.OperatorCommands;
import dev.relaylink.aws.handler.HandlerResponse;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.Target;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.tls.MutualTls;
import dev.relaylink.testing.RelayClient;
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
            LocalFunctions link = new LocalFunctions(clouds);
            System.out.println("relay-link local run: link " + clouds.spec.name() + "; AWS emulator, EC2 connection stub, Azure REST fake, "
                    + "EKS and AKS API servers and the EKS gateway on 127.0.0.1; artifacts in " + out);
            step("1 bootstrap", () -> bootstrap(link));
            step("2 connect", () -> connect(link));
            step("3 traffic", () -> traffic(link));
            RotationUnderLoad rotation = new RotationUnderLoad(link);
            step("4 rotation", rotation::run);
            status.getLast().put("figures", rotation.figures);
            step("5 drift", () -> drift(link));
            status.getLast().put("repairs", repairs);
            // The certificates as of now, before the fast clock runs a year ahead: checkable with today's openssl.
            writeCertificates(clouds);
            CaRotationUnderLoad caRotation = new CaRotationUnderLoad(link);
            step("6 CA rotation", caRotation::run);
            status.getLast().put("figures", caRotation.figures);
            operatorView(clouds);
            writeArtifacts(clouds);
        }
        return printStatus();
    }

    // --- steps ---

    private String bootstrap(LocalFunctions link) {
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
        if (clouds.controller != null) {
            // relay-link wrote the TargetGroupBinding; the controller's stand-in registers the pod from it.
            require(awaitTargets(clouds, Set.of(new Target(LocalClouds.GATEWAY_POD, LocalClouds.GATEWAY_POD_PORT))),
                    "the Load Balancer Controller's stand-in registered the gateway pod from the TargetGroupBinding");
        }
        expectResult(link.invoke(link.awsReconcile, link.events.scheduled()), "NO_CHANGE");
        return "endpoint service " + clouds.endpointServiceId().orElseThrow() + " locked down; NLB listener, targets and rules; server CA (KMS) "
                + "and client CA (Key Vault) exchanged; server cert for " + relay.hostName() + "; " + clouds.spec.workloads().size()
                + " client certs; EKS and AKS secrets; a second reconcile finds nothing to do";
    }

    private String connect(LocalFunctions link) {
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

    private String traffic(LocalFunctions link) throws IOException, InterruptedException {
        LocalClouds clouds = link.clouds;
        LinkSpec spec = clouds.spec;
        LinkSpec.Workload allowed = spec.workloads().get(0);
        String answer = RelayClient.call(WorkloadFromSecret.context(clouds.aksReader, allowed.namespace(), allowed.secretName(), clouds.clock),
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
        requireRefusal(clouds, "matches no SAN matcher", "the refusal comes from the ClientTrafficPolicy's SAN matchers");
        String revoked = revocation(link, allowed);
        return "'" + answer + "'; " + stranger + " (valid certificate, no SAN matcher in ClientTrafficPolicy "
                + spec.relay().clientTrafficPolicy() + ") refused; " + revoked;
    }

    /**
     * The allowed workload's key is suspected: its certificate is replaced long before it is due.
     * The Azure reconcile lists the old one in the client CA's revocation list (signed in Key Vault)
     * and publishes it; the AWS reconcile writes it for the gateway; the old certificate, still valid
     * and still matching a SAN matcher, is refused, and the new one is served.
     */
    private String revocation(LocalFunctions link, LinkSpec.Workload workload) throws IOException, InterruptedException {
        LocalClouds clouds = link.clouds;
        LinkSpec spec = clouds.spec;
        SpiffeId id = workload.spiffeId(spec.trustDomain());
        var suspected = WorkloadFromSecret.context(clouds.aksReader, workload.namespace(), workload.secretName(), clouds.clock);
        String serial = shortSerial(clouds.azureLink.ports().clientCertificates().current(id).orElseThrow());
        clouds.azureLink.clientRotation().rotateNow(id);
        link.azureReconcile();
        expectResult(link.invoke(link.awsReconcile, link.events.scheduled()), "APPLIED");
        boolean refused = false;
        try {
            RelayClient.call(suspected, spec.relay().hostName(), clouds.gateway.port(), "hello");
        } catch (IOException expected) {
            refused = true;
        }
        require(refused, "the replaced certificate is refused");
        requireRefusal(clouds, "is revoked", "the refusal comes from the revocation list the ClientTrafficPolicy references");
        String answer = RelayClient.call(WorkloadFromSecret.context(clouds.aksReader, workload.namespace(), workload.secretName(), clouds.clock),
                spec.relay().hostName(), clouds.gateway.port(), "hello");
        require(answer.contains(id.toString()), "relay answers the workload's new certificate");
        return "certificate " + serial + " replaced before its time: listed in the client CA's CRL and refused, its successor "
                + shortSerial(clouds.azureLink.ports().clientCertificates().current(id).orElseThrow()) + " served";
    }

    private String drift(LocalFunctions link) {
        LocalClouds clouds = link.clouds;
        LinkSpec.Nlb nlb = clouds.spec.aws().nlb();
        LinkSpec.Relay relay = clouds.spec.relay();
        String serviceId = clouds.endpointServiceId().orElseThrow();
        List<String> repaired = new ArrayList<>();

        Listener listener = clouds.aws.elb().describeListeners(r -> r.loadBalancerArn(nlb.loadBalancerArn())).listeners().get(0);
        clouds.aws.elb().deleteListener(r -> r.listenerArn(listener.listenerArn()));
        repair("listener deleted", "CloudTrail DeleteListener", "LoadBalancerDriftHandler",
                () -> expectResult(link.invoke(link.loadBalancerDrift, link.events.cloudTrail("cloudtrail-elb-delete-listener.json")), "APPLIED"));
        var listeners = clouds.aws.elb().describeListeners(r -> r.loadBalancerArn(nlb.loadBalancerArn())).listeners();
        require(listeners.size() == 1 && listeners.get(0).port() == clouds.spec.relay().port(), "one listener on the relay port again");
        repaired.add("listener deleted -> recreated");

        clouds.aws.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(serviceId).addAllowedPrincipals("arn:aws:iam::" + STRANGER_ACCOUNT + ":root"));
        repair("principals widened", "CloudTrail ModifyVpcEndpointServicePermissions", "EndpointServiceDriftHandler",
                () -> expectResult(link.invoke(link.endpointServiceDrift, link.events.cloudTrail("cloudtrail-ec2-modify-endpoint-service-permissions.json")), "APPLIED"));
        var principals = clouds.aws.ec2().describeVpcEndpointServicePermissions(r -> r.serviceId(serviceId)).allowedPrincipals().stream()
                .map(p -> p.principal()).collect(java.util.stream.Collectors.toSet());
        require(principals.equals(clouds.spec.aws().endpointService().allowedPrincipals()), "principals narrowed back, not " + principals);
        repaired.add("principals widened -> narrowed");

        clouds.aws.ec2().modifyVpcEndpointServiceConfiguration(r -> r.serviceId(serviceId).acceptanceRequired(false));
        repair("acceptance turned off", "CloudTrail ModifyVpcEndpointServiceConfiguration", "EndpointServiceDriftHandler",
                () -> expectResult(link.invoke(link.endpointServiceDrift, link.events.cloudTrail("cloudtrail-ec2-modify-endpoint-service.json")), "APPLIED"));
        require(clouds.aws.ec2().describeVpcEndpointServiceConfigurations(r -> r.serviceIds(serviceId)).serviceConfigurations().get(0)
                .acceptanceRequired(), "acceptance required again");
        repaired.add("acceptance off -> on");

        clouds.aws.elb().deregisterTargets(r -> r.targetGroupArn(nlb.targetGroupArn())
                .targets(TargetDescription.builder().id(LocalClouds.GATEWAY_POD).port(LocalClouds.GATEWAY_POD_PORT).build()));
        if (clouds.controller == null) {
            repair("target deregistered", "CloudTrail DeregisterTargets", "LoadBalancerDriftHandler",
                    () -> expectResult(link.invoke(link.loadBalancerDrift, link.events.cloudTrail("cloudtrail-elb-deregister-targets.json")), "APPLIED"));
        } else {
            // The targets are the controller's: relay-link's handler finds its binding right and leaves them alone; the
            // controller's periodic sync (its --sync-period) registers the pod again.
            repair("target deregistered", "CloudTrail DeregisterTargets; controller sync", "Load Balancer Controller", () -> {
                        expectResult(link.invoke(link.loadBalancerDrift, link.events.cloudTrail("cloudtrail-elb-deregister-targets.json")), "NO_CHANGE");
                        clouds.controller.resync();
                    });
        }
        var targets = clouds.aws.elb().describeTargetHealth(r -> r.targetGroupArn(nlb.targetGroupArn())).targetHealthDescriptions();
        require(targets.stream().anyMatch(t -> t.target().id().equals(LocalClouds.GATEWAY_POD)), "the gateway pod registered again");
        repaired.add("target deregistered -> registered");

        // A rollout: the gateway's one pod replaced by one with a new address (the EndpointSlice controller's update).
        String slice = relay.gatewayService() + "-a";
        clouds.eks.client.discovery().v1().endpointSlices().inNamespace(relay.namespace()).withName(slice).edit(s -> {
            s.getEndpoints().getFirst().setAddresses(List.of(REPLACED_GATEWAY_POD));
            return s;
        });
        if (clouds.controller == null) {
            repair("gateway pods replaced", "EKS audit log: endpointslices update", "ClusterChangeHandler",
                    () -> expectResult(link.invoke(link.eksChange, link.events.eksAudit("update", "endpointslices", slice)), "APPLIED"));
        } else {
            // The controller watches the EndpointSlices the binding's Service has: the targets follow without relay-link.
            repair("gateway pods replaced", "EndpointSlice update (controller's watch)", "Load Balancer Controller",
                    () -> require(awaitTargets(clouds, Set.of(new Target(REPLACED_GATEWAY_POD, LocalClouds.GATEWAY_POD_PORT))),
                            "the controller's stand-in followed the pods"));
            expectResult(link.invoke(link.eksChange, link.events.eksAudit("update", "endpointslices", slice)), "NO_CHANGE");
        }
        var afterRollout = clouds.aws.elb().describeTargetHealth(r -> r.targetGroupArn(nlb.targetGroupArn())).targetHealthDescriptions();
        require(afterRollout.size() == 1 && afterRollout.get(0).target().id().equals(REPLACED_GATEWAY_POD), "the new gateway pod is the only target");
        repaired.add("gateway pod replaced -> targets follow" + (clouds.controller == null ? "" : " (Load Balancer Controller)"));
        if (clouds.controller != null) {
            repaired.add(targetGroupBindingDrift(link));
        }

        String served = clouds.eksReader.secret(relay.namespace(), relay.tlsSecret()).orElseThrow().getMetadata().getAnnotations()
                .get("relay-link.dev/fingerprint");
        clouds.eks.client.secrets().inNamespace(relay.namespace()).withName(relay.tlsSecret()).delete();
        repair("gateway TLS secret deleted", "EKS audit log: secrets delete", "ClusterChangeHandler",
                () -> expectResult(link.invoke(link.eksChange, link.events.eksAudit("delete", "secrets", relay.tlsSecret())), "APPLIED"));
        require(served.equals(clouds.eksReader.secret(relay.namespace(), relay.tlsSecret()).orElseThrow().getMetadata().getAnnotations()
                .get("relay-link.dev/fingerprint")), "the gateway's TLS secret holds the current certificate again");
        repaired.add("gateway TLS secret deleted -> written back");

        // Someone adds a SAN matcher for a workload the spec does not name to the gateway's ClientTrafficPolicy.
        var policies = new dev.relaylink.k8s.KubernetesGatewayPolicy(clouds.eks.client);
        var wantedPolicy = policies.observe(relay.namespace(), relay.clientTrafficPolicy()).orElseThrow();
        clouds.eks.client.genericKubernetesResources(dev.relaylink.k8s.KubernetesGatewayPolicy.CLIENT_TRAFFIC_POLICIES)
                .inNamespace(relay.namespace()).withName(relay.clientTrafficPolicy()).edit(p -> {
                    List<Map<String, Object>> uris = p.get("spec", "tls", "clientValidation", "subjectAltNames", "uris");
                    uris.add(Map.of("type", "Exact", "value", "spiffe://" + clouds.spec.trustDomain() + "/ns/intruder/sa/default"));
                    return p;
                });
        repair("gateway policy edited", "EKS audit log: clienttrafficpolicies patch", "ClusterChangeHandler",
                () -> expectResult(link.invoke(link.eksChange, link.events.eksAudit("patch", "clienttrafficpolicies", relay.clientTrafficPolicy())),
                        "APPLIED"));
        require(wantedPolicy.equals(policies.observe(relay.namespace(), relay.clientTrafficPolicy()).orElseThrow()),
                "the ClientTrafficPolicy is the spec's again");
        repaired.add("gateway policy edited -> put back");

        LinkSpec.Workload workload = clouds.spec.workloads().get(0);
        clouds.aks.client.secrets().inNamespace(workload.namespace()).withName(workload.secretName()).delete();
        repair("workload secret deleted", "AKS audit log (Event Hub): secrets delete", "ClusterChange (Azure)",
                () -> link.aksChanged(link.events.aksSecretDeleted(workload)));
        require(clouds.aksReader.secret(workload.namespace(), workload.secretName()).isPresent(), "the workload's secret is written back");
        repaired.add("workload secret deleted -> written back");

        LinkSpec.Azure azure = clouds.spec.azure();
        requestPrivateEndpoint(clouds, STRANGER_SUBSCRIPTION, "late-rg", "late-pe",
                azure.allowedVnets().iterator().next().replace(azure.subscriptionId(), STRANGER_SUBSCRIPTION), "10.9.0.5");
        repair("private endpoint from a stranger", "Event Grid ResourceWriteSuccess", "PrivateEndpointApproval (Azure)",
                () -> link.approve("late-pe.conn"));
        require(privateEndpoint(clouds, "late-pe.conn").is(PrivateEndpointConnection.REJECTED), "the late stranger's private endpoint is rejected");
        repaired.add("stranger's private endpoint -> rejected");
        return String.join("; ", repaired);
    }

    /** The TargetGroupBinding edited (instance targets), then deleted: each restored by the audit log's event, the audit naming what was wrong. */
    @SuppressWarnings("unchecked")
    private String targetGroupBindingDrift(LocalFunctions link) {
        LocalClouds clouds = link.clouds;
        String namespace = clouds.spec.relay().namespace();
        String name = clouds.spec.targetGroupBindingName();
        var bindings = clouds.eks.client.genericKubernetesResources(dev.relaylink.k8s.KubernetesTargetGroupBindings.TARGET_GROUP_BINDINGS).inNamespace(namespace);
        var edited = bindings.withName(name).get();
        ((Map<String, Object>) edited.getAdditionalProperties().get("spec")).put("targetType", "instance");
        bindings.resource(edited).update();
        repair("TargetGroupBinding edited", "EKS audit log: targetgroupbindings update", "ClusterChangeHandler",
                () -> expectResult(link.invoke(link.eksChange, link.events.eksAudit("update", "targetgroupbindings", name)), "APPLIED"));
        var wanted = dev.relaylink.plan.Planner.targetGroupBinding(clouds.spec);
        require(wanted.equals(clouds.awsLink.ports().targetGroupBindings().observe(namespace, name).orElse(null)), "the TargetGroupBinding restored");
        require(clouds.awsAudit.records().stream().anyMatch(r -> r.action().equals("WriteTargetGroupBinding") && r.reason().contains("targetType is instance")),
                "an audit record names what was wrong with the TargetGroupBinding");

        bindings.withName(name).delete();
        repair("TargetGroupBinding deleted", "EKS audit log: targetgroupbindings delete", "ClusterChangeHandler",
                () -> expectResult(link.invoke(link.eksChange, link.events.eksAudit("delete", "targetgroupbindings", name)), "APPLIED"));
        require(wanted.equals(clouds.awsLink.ports().targetGroupBindings().observe(namespace, name).orElse(null)), "the TargetGroupBinding written back");
        require(awaitTargets(clouds, Set.of(new Target(REPLACED_GATEWAY_POD, LocalClouds.GATEWAY_POD_PORT))), "the controller still serves the pods");
        return "TargetGroupBinding edited, deleted -> restored";
    }

    /** Waits, bounded, until the stand-in controller made the target group exactly {@code expected}. */
    private static boolean awaitTargets(LocalClouds clouds, Set<Target> expected) {
        try {
            return clouds.controller.awaitTargets(clouds.spec.aws().nlb().targetGroupArn(), expected, java.time.Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        step("7 plan", () -> {
            require(plan == OperatorCommands.OK, "relay-link plan finds nothing to do (exit 0, not " + plan + ")");
            require(status == OperatorCommands.OK, "relay-link status succeeds (exit 0, not " + status + ")");
            return "relay-link plan: nothing to do; relay-link status written to " + page.getFileName();
        });
    }

    /** A gateway pod address that replaces the first one in the drift step's rollout. */
    static final String REPLACED_GATEWAY_POD = "10.0.1.29";

    /** Each break of the drift step: the event that reports it, the function that repairs it, and the time from delivery to repaired. */
    private final List<Map<String, Object>> repairs = new ArrayList<>();

    private void repair(String broken, String event, String function, Runnable delivery) {
        long start = System.nanoTime();
        delivery.run();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("break", broken);
        row.put("event", event);
        row.put("function", function);
        row.put("millis", (System.nanoTime() - start) / 1_000_000.0);
        repairs.add(row);
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

    static void expectResult(HandlerResponse result, String expected) {
        if (!expected.equals(result.result())) {
            throw new IllegalStateException(result.handler() + " answered " + result.result() + " (" + result.reason() + "), expected " + expected);
        }
    }

    /** The gateway records a refusal just after the client saw the alert: wait for it a little, bounded. */
    static void requireRefusal(LocalClouds clouds, String reason, String what) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (clouds.gateway.refusals().stream().anyMatch(r -> r.contains(reason))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("expected: " + what + ", the gateway's refusals are " + clouds.gateway.refusals());
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

    private void writeCertificates(LocalClouds clouds) throws IOException {
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
    }

    private void writeArtifacts(LocalClouds clouds) throws IOException {
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
        ClusterArtifacts.write(clouds.eks.client, out.resolve("k8s/eks"));
        ClusterArtifacts.write(clouds.aks.client, out.resolve("k8s/aks"));
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
        if (!repairs.isEmpty()) {
            System.out.println();
            System.out.printf("%-32s %-50s %-32s %10s%n", "break", "event", "repaired by", "ms");
            repairs.forEach(r -> System.out.printf("%-32s %-50s %-32s %10.1f%n", r.get("break"), r.get("event"), r.get("function"), r.get("millis")));
        }
        System.out.println((ok ? "link healthy" : "link NOT healthy") + "; artifacts: " + out + " (certs/ with summary.json, k8s/eks and k8s/aks, audit.jsonl, status.json, status.html)");
        System.out.println("check: openssl verify -CAfile " + out.resolve("certs/client-ca.pem") + " " + out.resolve("certs/client-payments-checkout.pem"));
        return ok;
    }

    static String shortSerial(Credential credential) {
        String serial = Certificates.serialHex(credential.leaf());
        return serial.length() > 8 ? serial.substring(0, 8) : serial;
    }

}
