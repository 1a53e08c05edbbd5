package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.plan.Concern;
import dev.relaylink.spec.LinkSpec;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * NLB drift: a CloudTrail-recorded ELB call (listener, targets, target group, security groups), an
 * EC2 call on the NLB's security group, or a healthy-hosts alarm makes relay-link restore the single
 * TCP listener, the gateway's ready endpoints as targets, and exactly the spec's ingress rules. An
 * event about another load balancer, target group, security group or alarm is refused before any
 * AWS call: the rules in template.yaml already filter on them, so such an event is spoofed or misrouted.
 */
public final class LoadBalancerDriftHandler extends LinkHandler {
    static final Set<Concern> CONCERNS = EnumSet.of(Concern.LOAD_BALANCER);
    /** ELBv2 calls that can break the NLB's path to the gateway; template.yaml's pattern lists the same. */
    public static final Set<String> ELB_CALLS = Set.of(
            "CreateListener", "DeleteListener", "ModifyListener", "RegisterTargets", "DeregisterTargets",
            "DeleteTargetGroup", "ModifyTargetGroup", "SetSecurityGroups", "DeleteLoadBalancer");
    private static final Set<String> LISTENER_CALLS = Set.of("DeleteListener", "ModifyListener");
    private static final Set<String> TARGET_GROUP_CALLS = Set.of("RegisterTargets", "DeregisterTargets", "DeleteTargetGroup", "ModifyTargetGroup");
    /** EC2 calls on security group rules; only those on the link's NLB security group are acted on. */
    public static final Set<String> SECURITY_GROUP_CALLS = Set.of(
            "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "ModifySecurityGroupRules");
    /** The healthy-hosts alarm is named after the link (template.yaml's HealthyHostsAlarm). */
    public static final String HEALTHY_HOSTS_ALARM_SUFFIX = "-healthy-hosts";
    static final String ALARM = "CloudWatch Alarm State Change";
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");

    public LoadBalancerDriftHandler() {
        super(CONCERNS);
    }

    public LoadBalancerDriftHandler(AwsFunctions link) {
        super(link, CONCERNS);
    }

    @Override
    Decision decide(AwsFunctions link, JsonNode event, Context context) throws RefusedEvent {
        EventBridgeEnvelope envelope = EventBridgeEnvelope.check(event, link.spec(), Map.of(
                "aws.elasticloadbalancing", Set.of(EventBridgeEnvelope.CLOUDTRAIL),
                "aws.ec2", Set.of(EventBridgeEnvelope.CLOUDTRAIL),
                "aws.cloudwatch", Set.of(ALARM)));
        LinkSpec.Nlb nlb = link.spec().aws().nlb();
        switch (envelope.source()) {
            case "aws.elasticloadbalancing" -> {
                String call = envelope.cloudTrailCall("elasticloadbalancing.amazonaws.com", ELB_CALLS);
                if (LISTENER_CALLS.contains(call)) {
                    String listener = required(envelope, "listenerArn");
                    if (!listener.startsWith(listenerPrefix(nlb.loadBalancerArn()))) {
                        throw new RefusedEvent(envelope.id(), "listener " + listener + " is not on the link's NLB " + nlb.loadBalancerArn());
                    }
                } else if (TARGET_GROUP_CALLS.contains(call)) {
                    sameAs(envelope, required(envelope, "targetGroupArn"), nlb.targetGroupArn(), "target group");
                } else {
                    sameAs(envelope, required(envelope, "loadBalancerArn"), nlb.loadBalancerArn(), "load balancer");
                }
            }
            case "aws.ec2" -> {
                envelope.cloudTrailCall("ec2.amazonaws.com", SECURITY_GROUP_CALLS);
                Set<String> groups = envelope.requestValues(SECURITY_GROUP);
                groups.remove(nlb.securityGroupId());
                // A rule may reference another group as its source; the call is the link's when it names the link's group.
                if (envelope.requestValues(SECURITY_GROUP).equals(groups)) {
                    throw new RefusedEvent(envelope.id(), "security group " + (groups.isEmpty() ? "(none named)" : String.join(", ", groups))
                            + " is not the NLB's " + nlb.securityGroupId());
                }
            }
            default -> {
                String alarm = link.spec().name() + HEALTHY_HOSTS_ALARM_SUFFIX;
                String named = envelope.detail().path("alarmName").asText("");
                if (!named.equals(alarm)) {
                    throw new RefusedEvent(envelope.id(), "alarm '" + named + "' is not the link's " + alarm);
                }
            }
        }
        return Decision.reconcile(envelope.id(), CONCERNS);
    }

    /** A listener ARN is its load balancer's ARN with {@code listener/} for {@code loadBalancer/}, then the listener's own id. */
    static String listenerPrefix(String loadBalancerArn) {
        return loadBalancerArn.replaceFirst(":loadbalancer/", ":listener/") + "/";
    }

    private static String required(EventBridgeEnvelope envelope, String parameter) throws RefusedEvent {
        return envelope.requestParameter(parameter)
                .orElseThrow(() -> new RefusedEvent(envelope.id(), "the CloudTrail record names no " + parameter));
    }

    private static void sameAs(EventBridgeEnvelope envelope, String named, String link, String what) throws RefusedEvent {
        if (!named.equals(link)) {
            throw new RefusedEvent(envelope.id(), what + " " + named + " is not the link's " + link);
        }
    }
}
