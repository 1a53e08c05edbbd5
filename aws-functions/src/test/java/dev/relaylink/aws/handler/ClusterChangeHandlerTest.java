package dev.relaylink.aws.handler;

import static dev.relaylink.aws.testing.AwsFunctionsWorld.event;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.fresh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.aws.template.CloudFormationTemplate;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import dev.relaylink.aws.testing.SampleEvents;
import dev.relaylink.pki.Certificates;
import dev.relaylink.state.Target;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes inside EKS reported by its audit log (CloudWatch Logs subscription, gzip and base64), each
 * repaired by one invocation; a batch about anything else is refused before any AWS call.
 */
class ClusterChangeHandlerTest {
    private AwsFunctionsWorld world;
    private ClusterChangeHandler handler;

    @BeforeEach
    void setUp() {
        world = new AwsFunctionsWorld();
        handler = new ClusterChangeHandler(world.link);
        HandlerResponse bootstrap = world.invoke(new ReconcileHandler(world.link), fresh(event("scheduled-event.json")));
        assertThat(bootstrap.result()).as(bootstrap.toString()).isEqualTo("APPLIED");
        world.newAuditRecords();
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aDeletedGatewayTlsSecretIsWrittenBackOnceFromTheAuditLog() {
        var relay = world.spec.relay();
        String current = Certificates.fingerprint(world.link.ports().serverCertificates().current().orElseThrow().leaf());
        world.eks.client.secrets().inNamespace(relay.namespace()).withName(relay.tlsSecret()).delete();
        ObjectNode batch = batch(audit(a -> { }));

        HandlerResponse result = world.invoke(handler, batch);
        HandlerResponse redelivered = world.invoke(handler, batch);

        assertThat(result.result()).as(result.toString()).isEqualTo("APPLIED");
        assertThat(result.actions()).extracting(HandlerResponse.Audited::action).containsExactly("WriteGatewayTlsSecret");
        assertThat(world.link.ports().eks().observe(relay.namespace(), relay.tlsSecret()).orElseThrow().certificateFingerprint())
                .isEqualTo(current);
        assertThat(redelivered.result()).isEqualTo("DUPLICATE");
    }

    @Test
    void aSanMatcherAddedByHandToTheGatewayPolicyIsRemoved() {
        var relay = world.spec.relay();
        var policies = new dev.relaylink.k8s.KubernetesGatewayPolicy(world.eks.client);
        var wanted = policies.observe(relay.namespace(), relay.clientTrafficPolicy()).orElseThrow();
        world.eks.client.genericKubernetesResources(dev.relaylink.k8s.KubernetesGatewayPolicy.CLIENT_TRAFFIC_POLICIES)
                .inNamespace(relay.namespace()).withName(relay.clientTrafficPolicy()).edit(p -> {
                    List<Map<String, Object>> uris = p.get("spec", "tls", "clientValidation", "subjectAltNames", "uris");
                    uris.add(Map.of("type", "Exact", "value", "spiffe://aks.example/ns/intruder/sa/default"));
                    return p;
                });

        HandlerResponse result = world.invoke(handler, batch(audit(a -> {
            a.put("verb", "patch");
            a.with("objectRef").put("resource", "clienttrafficpolicies").put("apiGroup", "gateway.envoyproxy.io")
                    .put("name", relay.clientTrafficPolicy());
        })));

        assertThat(result.result()).as(result.toString()).isEqualTo("APPLIED");
        assertThat(result.actions()).extracting(HandlerResponse.Audited::action).containsExactly("WriteGatewayClientPolicy");
        assertThat(policies.observe(relay.namespace(), relay.clientTrafficPolicy()).orElseThrow()).isEqualTo(wanted);
    }

    @Test
    void replacedGatewayPodsBecomeTheTargets() {
        var relay = world.spec.relay();
        String slice = relay.gatewayService() + "-a";
        world.eks.client.discovery().v1().endpointSlices().inNamespace(relay.namespace()).withName(slice).edit(s -> {
            s.setEndpoints(List.of(new EndpointBuilder().withAddresses("10.0.1.31").withNewConditions().withReady(true).endConditions().build(),
                    new EndpointBuilder().withAddresses("10.0.1.32").withNewConditions().withReady(true).endConditions().build()));
            return s;
        });

        HandlerResponse result = world.invoke(handler, batch(audit(a -> {
            a.put("verb", "update");
            a.with("objectRef").put("resource", "endpointslices").put("apiGroup", "discovery.k8s.io").put("name", slice);
        })));

        assertThat(result.result()).as(result.toString()).isEqualTo("APPLIED");
        assertThat(world.link.ports().loadBalancer().registeredTargets(world.spec.aws().nlb().targetGroupArn()))
                .isEqualTo(Set.of(new Target("10.0.1.31", AwsFunctionsWorld.GATEWAY_POD_PORT), new Target("10.0.1.32", AwsFunctionsWorld.GATEWAY_POD_PORT)));
    }

    /** The gateway pods' change reconciles the whole NLB: whatever else drifted on it is put back in the same run. */
    @Test
    void whateverElseDriftedOnTheNlbIsRepairedWithTheNewTargets() {
        var nlb = world.spec.aws().nlb();
        var elb = world.aws.elb();
        elb.deleteListener(r -> r.listenerArn(elb.describeListeners(d -> d.loadBalancerArn(nlb.loadBalancerArn())).listeners().get(0).listenerArn()));
        elb.createListener(r -> r.loadBalancerArn(nlb.loadBalancerArn()).protocol("TCP").port(8080)
                .defaultActions(a -> a.type("forward").targetGroupArn(nlb.targetGroupArn())));
        elb.registerTargets(r -> r.targetGroupArn(nlb.targetGroupArn()).targets(t -> t.id("10.0.1.99").port(AwsFunctionsWorld.GATEWAY_POD_PORT)));
        world.aws.ec2().authorizeSecurityGroupIngress(r -> r.groupId(nlb.securityGroupId()).ipPermissions(p -> p.ipProtocol("tcp")
                .fromPort(443).toPort(443).ipRanges(ip -> ip.cidrIp("0.0.0.0/0"))));
        world.aws.ec2().revokeSecurityGroupIngress(r -> r.groupId(nlb.securityGroupId()).ipPermissions(p -> p.ipProtocol("tcp")
                .fromPort(443).toPort(443).ipRanges(ip -> ip.cidrIp("10.20.0.0/24"))));
        String other = world.aws.ec2().createSecurityGroup(r -> r.vpcId(world.network.vpcId()).groupName("other-" + world.network.suffix())
                .description("not the link's")).groupId();
        elb.setSecurityGroups(r -> r.loadBalancerArn(nlb.loadBalancerArn()).securityGroups(other));

        HandlerResponse result = world.invoke(handler, batch(audit(a -> {
            a.put("verb", "update");
            a.with("objectRef").put("resource", "endpointslices").put("apiGroup", "discovery.k8s.io").put("name", world.spec.relay().gatewayService() + "-a");
        })));

        assertThat(result.result()).as(result.toString()).isEqualTo("APPLIED");
        assertThat(result.actions()).extracting(HandlerResponse.Audited::action).contains("DeleteListener", "CreateListener", "DeregisterTargets",
                "RevokeIngress", "AuthorizeIngress", "SetLoadBalancerSecurityGroups");
        assertThat(world.link.ports().loadBalancer().securityGroups(nlb.loadBalancerArn())).containsExactly(nlb.securityGroupId());
    }

    @Test
    void inControllerModeTheTargetGroupBindingIsRestoredAndNoTargetIsTouched() {
        world.close();
        world = new AwsFunctionsWorld(dev.relaylink.spec.LinkSpec.Targets.CONTROLLER);
        handler = new ClusterChangeHandler(world.link);
        world.calls.clear();
        HandlerResponse bootstrap = world.invoke(new ReconcileHandler(world.link), fresh(event("scheduled-event.json")));
        assertThat(bootstrap.result()).as(bootstrap.toString()).isEqualTo("APPLIED");
        assertThat(bootstrap.actions()).extracting(HandlerResponse.Audited::action).contains("WriteTargetGroupBinding")
                .doesNotContain("RegisterTargets", "DeregisterTargets");
        var bindings = world.eks.client.genericKubernetesResources(dev.relaylink.k8s.KubernetesTargetGroupBindings.TARGET_GROUP_BINDINGS)
                .inNamespace(world.spec.relay().namespace());
        String name = world.spec.targetGroupBindingName();
        dev.relaylink.k8s.CrdSchemas.assertValid(bindings.withName(name).get());
        world.newAuditRecords();

        var edited = bindings.withName(name).get();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) edited.getAdditionalProperties().get("spec");
        spec.put("serviceRef", Map.of("name", "relay", "port", 8080));
        bindings.resource(edited).update();
        HandlerResponse restored = world.invoke(handler, batch(audit(a -> {
            a.put("verb", "update");
            a.with("objectRef").put("resource", "targetgroupbindings").put("apiGroup", "elbv2.k8s.aws").put("name", name);
        })));
        bindings.withName(name).delete();
        HandlerResponse recreated = world.invoke(handler, batch(audit(a -> {
            a.put("verb", "delete");
            a.with("objectRef").put("resource", "targetgroupbindings").put("apiGroup", "elbv2.k8s.aws").put("name", name);
        })));

        assertThat(restored.result()).as(restored.toString()).isEqualTo("APPLIED");
        assertThat(recreated.result()).as(recreated.toString()).isEqualTo("APPLIED");
        assertThat(world.link.ports().targetGroupBindings().observe(world.spec.relay().namespace(), name))
                .contains(dev.relaylink.plan.Planner.targetGroupBinding(world.spec));
        assertThat(world.newAuditRecords()).filteredOn(r -> r.action().equals("WriteTargetGroupBinding")).extracting(AuditRecord::reason)
                .containsExactly("serviceRef is relay:8080, not " + world.spec.relay().gatewayService() + ":" + world.spec.relay().port(),
                        "the TargetGroupBinding does not exist");
        assertThat(world.calls.calls()).noneMatch(c -> c.contains("RegisterTargets") || c.contains("DeregisterTargets") || c.contains("DescribeTargetHealth"));
    }

    @Test
    void batchesAboutAnythingElseAreRefusedWithoutAnAwsCall() {
        world.calls.clear();
        List<ObjectNode> refused = List.of(
                batch(audit(a -> a.with("objectRef").put("namespace", "kube-system"))),
                batch(audit(a -> a.with("objectRef").put("name", "someone-elses-secret"))),
                batch(audit(a -> a.put("verb", "get"))),
                batch(audit(a -> a.with("responseStatus").put("code", 403))),
                SampleEvents.cloudWatchLogs("CONTROL_MESSAGE", AwsFunctionsWorld.ACCOUNT, ClusterChangeHandler.auditLogGroup(world.spec), List.of()),
                SampleEvents.cloudWatchLogs("DATA_MESSAGE", AwsFunctionsWorld.STRANGER, ClusterChangeHandler.auditLogGroup(world.spec), List.of(audit(a -> { }))),
                SampleEvents.cloudWatchLogs("DATA_MESSAGE", AwsFunctionsWorld.ACCOUNT, "/aws/eks/other-cluster/cluster", List.of(audit(a -> { }))),
                raw("not base64!"),
                raw(Base64.getEncoder().encodeToString("not gzip".getBytes(StandardCharsets.UTF_8))),
                raw(SampleEvents.gzipBase64(" ".repeat(ClusterChangeHandler.MAX_BATCH_BYTES + 1))));

        assertThat(refused).allSatisfy(event -> assertThat(world.invoke(handler, event).result()).isEqualTo("REJECTED"));
        assertThat(world.newAuditRecords()).extracting(AuditRecord::reason).satisfiesExactly(
                r -> assertThat(r).contains("no audit event"), r -> assertThat(r).contains("no audit event"),
                r -> assertThat(r).contains("no audit event"), r -> assertThat(r).contains("no audit event"),
                r -> assertThat(r).contains("CONTROL_MESSAGE"), r -> assertThat(r).contains(AwsFunctionsWorld.STRANGER),
                r -> assertThat(r).contains("other-cluster"), r -> assertThat(r).contains("not base64"),
                r -> assertThat(r).contains("not gzip"), r -> assertThat(r).contains("decompresses to more than"));
        assertThat(world.calls.calls()).isEmpty();
    }

    /** The template subscribes this handler to the cluster's audit log, with a filter naming every object it repairs. */
    @Test
    void theTemplateSubscribesTheAuditLogWithAFilterOnTheLinksObjects() {
        CloudFormationTemplate template = CloudFormationTemplate.ofRepository();
        var function = template.root().at("/Resources/ClusterChangeFunction/Properties");
        assertThat(function.path("Handler").asText()).isEqualTo(ClusterChangeHandler.class.getName() + "::handleRequest");
        var source = function.at("/Events/AuditLog");
        assertThat(source.path("Type").asText()).isEqualTo("CloudWatchLogs");
        assertThat(source.at("/Properties/LogGroupName/Fn::Sub").asText()).isEqualTo("/aws/eks/${EksClusterName}/cluster");
        String pattern = source.at("/Properties/FilterPattern/Fn::Sub").asText();
        assertThat(pattern).contains("$.objectRef.namespace = \"${RelayNamespace}\"", "${RelayTlsSecret}", "${RelayClientCaSecret}",
                "${RelayCrlSecret}", "clienttrafficpolicies", "${RelayClientTrafficPolicy}", "endpointslices", "targetgroupbindings", "$.stage = \"ResponseComplete\"");
        assertThat(pattern.length()).as("CloudWatch Logs caps a filter pattern at 1024 characters").isLessThanOrEqualTo(1024);
    }

    private ObjectNode audit(Consumer<ObjectNode> edit) {
        ObjectNode audit = event("eks-audit-secret-delete.json");
        audit.put("auditID", UUID.randomUUID().toString());
        audit.with("objectRef").put("namespace", world.spec.relay().namespace()).put("name", world.spec.relay().tlsSecret());
        edit.accept(audit);
        return audit;
    }

    private ObjectNode batch(ObjectNode audit) {
        return SampleEvents.cloudWatchLogs("DATA_MESSAGE", AwsFunctionsWorld.ACCOUNT, ClusterChangeHandler.auditLogGroup(world.spec), List.of(audit));
    }

    private static ObjectNode raw(String data) {
        ObjectNode event = dev.relaylink.audit.JsonLines.JSON.createObjectNode();
        event.putObject("awslogs").put("data", data);
        return event;
    }
}
