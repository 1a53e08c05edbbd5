package dev.relaylink.aws.handler;

import static dev.relaylink.aws.testing.AwsFunctionsWorld.event;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.fresh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.Target;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/** NLB drift made with the ELBv2 and EC2 APIs, each repaired by one invocation with an audit record. */
class LoadBalancerDriftHandlerTest {
    private static final IngressRule TRANSIT = new IngressRule("tcp", 443, "10.20.0.0/24");

    private AwsFunctionsWorld world;
    private LoadBalancerDriftHandler handler;
    private Set<Target> gatewayPods;

    @BeforeEach
    void setUp() {
        world = new AwsFunctionsWorld();
        handler = new LoadBalancerDriftHandler(world.link);
        gatewayPods = AwsFunctionsWorld.GATEWAY_PODS.stream().map(ip -> new Target(ip, AwsFunctionsWorld.GATEWAY_POD_PORT)).collect(Collectors.toSet());
        HandlerResponse bootstrap = world.invoke(handler, world.linkEvent("cloudwatch-alarm-unhealthy.json"));
        assertThat(bootstrap.result()).as(bootstrap.toString()).isEqualTo("APPLIED");
        assertMatchesSpec();
        world.newAuditRecords();
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void recreatesADeletedListener() {
        String listener = world.aws.elb().describeListeners(r -> r.loadBalancerArn(world.spec.aws().nlb().loadBalancerArn()))
                .listeners().get(0).listenerArn();
        world.aws.elb().deleteListener(r -> r.listenerArn(listener));

        HandlerResponse result = world.invoke(handler, world.linkEvent("cloudtrail-elb-delete-listener.json"));

        assertThat(result.result()).isEqualTo("APPLIED");
        assertMatchesSpec();
        assertRepairedWith("CreateListener");
    }

    @Test
    void putsBackTheLinksSecurityGroupWhenTheNlbsGroupsAreSwapped() {
        String nlb = world.spec.aws().nlb().loadBalancerArn();
        String other = world.aws.ec2().createSecurityGroup(r -> r.vpcId(world.network.vpcId()).groupName("wide-open-" + UUID.randomUUID())
                .description("not the link's")).groupId();
        world.aws.elb().setSecurityGroups(r -> r.loadBalancerArn(nlb).securityGroups(other));
        ObjectNode event = world.linkEvent("cloudtrail-elb-delete-listener.json");
        ((ObjectNode) event.get("detail")).put("eventName", "SetSecurityGroups");
        ((ObjectNode) event.get("detail")).putObject("requestParameters").put("loadBalancerArn", nlb).putArray("securityGroups").add(other);

        HandlerResponse result = world.invoke(handler, event);

        assertThat(result.result()).isEqualTo("APPLIED");
        assertThat(world.aws.elb().describeLoadBalancers(r -> r.loadBalancerArns(nlb)).loadBalancers().get(0).securityGroups())
                .containsExactly(world.spec.aws().nlb().securityGroupId());
        assertRepairedWith("SetLoadBalancerSecurityGroups");
    }

    @Test
    void registersADeregisteredGatewayPodAgain() {
        world.aws.elb().deregisterTargets(r -> r.targetGroupArn(world.spec.aws().nlb().targetGroupArn())
                .targets(TargetDescription.builder().id("10.0.1.17").port(AwsFunctionsWorld.GATEWAY_POD_PORT).build()));

        world.invoke(handler, world.linkEvent("cloudtrail-elb-deregister-targets.json"));

        assertMatchesSpec();
        assertRepairedWith("RegisterTargets");
    }

    @Test
    void revokesIngressWiderThanTheSpec() {
        world.aws.ec2().authorizeSecurityGroupIngress(r -> r.groupId(world.spec.aws().nlb().securityGroupId())
                .ipPermissions(IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
                        .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build()));

        world.invoke(handler, securityGroupEvent(world.spec.aws().nlb().securityGroupId()));

        assertMatchesSpec();
        assertRepairedWith("RevokeIngress");
    }

    @Test
    void aChangeToAnotherSecurityGroupIsRefusedWithoutAnAwsCall() {
        world.calls.clear();

        HandlerResponse result = world.invoke(handler, securityGroupEvent("sg-0aaaaaaaaaaaaaaaa"));

        assertThat(result.result()).isEqualTo("REJECTED");
        assertThat(result.reason()).contains("sg-0aaaaaaaaaaaaaaaa");
        assertThat(world.calls.calls()).isEmpty();
    }

    @Test
    void deletesAListenerOnAnotherPortAndDeregistersAStrangersTarget() {
        var nlb = world.spec.aws().nlb();
        world.aws.elb().createListener(r -> r.loadBalancerArn(nlb.loadBalancerArn()).protocol("TCP").port(8080)
                .defaultActions(a -> a.type("forward").targetGroupArn(nlb.targetGroupArn())));
        world.aws.elb().registerTargets(r -> r.targetGroupArn(nlb.targetGroupArn())
                .targets(TargetDescription.builder().id("10.0.1.99").port(AwsFunctionsWorld.GATEWAY_POD_PORT).build()));

        HandlerResponse result = world.invoke(handler, world.linkEvent("cloudwatch-alarm-unhealthy.json"));

        assertThat(result.result()).isEqualTo("APPLIED");
        assertMatchesSpec();
        assertThat(result.actions()).extracting(HandlerResponse.Audited::action).contains("DeleteListener", "DeregisterTargets");
    }

    /** Events about a resource that is not the link's: each refused with its reason, before any AWS call. */
    @Test
    void eventsAboutAnotherNlbTargetGroupListenerOrAlarmAreRefusedWithoutAnAwsCall() {
        String region = world.aws.region().id();
        String otherNlb = "arn:aws:elasticloadbalancing:" + region + ":" + AwsFunctionsWorld.ACCOUNT + ":loadbalancer/net/other/0123456789abcdef";
        ObjectNode listener = world.linkEvent("cloudtrail-elb-delete-listener.json");
        ((ObjectNode) listener.at("/detail/requestParameters")).put("listenerArn",
                otherNlb.replace(":loadbalancer/", ":listener/") + "/fedcba9876543210");
        ObjectNode targets = world.linkEvent("cloudtrail-elb-deregister-targets.json");
        ((ObjectNode) targets.at("/detail/requestParameters")).put("targetGroupArn",
                "arn:aws:elasticloadbalancing:" + region + ":" + AwsFunctionsWorld.ACCOUNT + ":targetgroup/other/0123456789abcdef");
        ObjectNode groups = world.linkEvent("cloudtrail-elb-delete-listener.json");
        ((ObjectNode) groups.get("detail")).put("eventName", "SetSecurityGroups");
        ((ObjectNode) groups.get("detail")).putObject("requestParameters").put("loadBalancerArn", otherNlb);
        ObjectNode unnamed = world.linkEvent("cloudtrail-elb-deregister-targets.json");
        ((ObjectNode) unnamed.get("detail")).putObject("requestParameters");
        ObjectNode alarm = world.linkEvent("cloudwatch-alarm-unhealthy.json");
        ((ObjectNode) alarm.get("detail")).put("alarmName", "someone-elses-alarm");
        world.calls.clear();

        assertThat(List.of(listener, targets, groups, unnamed, alarm)).allSatisfy(event -> {
            HandlerResponse result = world.invoke(handler, event);
            assertThat(result.result()).as(result.toString()).isEqualTo("REJECTED");
        });
        assertThat(world.newAuditRecords()).extracting(AuditRecord::reason).satisfiesExactly(
                r -> assertThat(r).contains("is not on the link's NLB"),
                r -> assertThat(r).contains("targetgroup/other").contains("is not the link's"),
                r -> assertThat(r).contains("loadbalancer/net/other").contains("is not the link's"),
                r -> assertThat(r).contains("names no targetGroupArn"),
                r -> assertThat(r).contains("someone-elses-alarm"));
        assertThat(world.calls.calls()).isEmpty();
    }

    @Test
    void theAlarmTheHandlerExpectsIsTheOneTheTemplateCreates() {
        var alarm = dev.relaylink.aws.template.CloudFormationTemplate.ofRepository().root().at("/Resources/HealthyHostsAlarm/Properties/AlarmName/Fn::Sub");
        assertThat(alarm.asText()).isEqualTo("${LinkName}" + LoadBalancerDriftHandler.HEALTHY_HOSTS_ALARM_SUFFIX);
    }

    @Test
    void anUnhealthyAlarmWithNothingDriftedChangesNothing() {
        HandlerResponse result = world.invoke(handler, world.linkEvent("cloudwatch-alarm-unhealthy.json"));

        assertThat(result.result()).isEqualTo("NO_CHANGE");
        assertMatchesSpec();
    }

    private void assertMatchesSpec() {
        var nlb = world.spec.aws().nlb();
        var lb = world.link.ports().loadBalancer();
        assertThat(lb.listeners(nlb.loadBalancerArn())).singleElement().satisfies(l -> {
            assertThat(l.port()).isEqualTo(443);
            assertThat(l.protocol()).isEqualTo("TCP");
            assertThat(l.targetGroupArn()).isEqualTo(nlb.targetGroupArn());
        });
        assertThat(lb.registeredTargets(nlb.targetGroupArn())).isEqualTo(gatewayPods);
        assertThat(lb.ingressRules(nlb.securityGroupId())).containsExactly(TRANSIT);
    }

    private void assertRepairedWith(String action) {
        List<AuditRecord> records = world.newAuditRecords();
        assertThat(records).filteredOn(r -> r.action().equals(action))
                .singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.APPLIED));
    }

    /** CloudTrail's AuthorizeSecurityGroupIngress on {@code groupId}, in the shape EventBridge delivers it. */
    private static ObjectNode securityGroupEvent(String groupId) {
        ObjectNode event = fresh(event("cloudtrail-ec2-modify-endpoint-service.json"));
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("eventName", "AuthorizeSecurityGroupIngress");
        ObjectNode parameters = detail.putObject("requestParameters");
        parameters.put("groupId", groupId);
        parameters.putObject("ipPermissions").putArray("items").addObject().put("ipProtocol", "tcp").put("fromPort", 443).put("toPort", 443)
                .putObject("ipRanges").putArray("items").addObject().put("cidrIp", "0.0.0.0/0");
        detail.putObject("responseElements").put("_return", true);
        return event;
    }
}
