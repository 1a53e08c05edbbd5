package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.aws.AwsLink;
import dev.relaylink.aws.handler.EventBridgeEnvelope.Refused;
import dev.relaylink.plan.Concern;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * NLB drift: a CloudTrail-recorded ELB call (listener, targets, target group, security groups), an
 * EC2 call on the NLB's security group, or a healthy-hosts alarm makes relay-link restore the single
 * TCP listener, the gateway's ready endpoints as targets, and exactly the spec's ingress rules.
 */
public final class LoadBalancerDriftHandler extends LinkHandler {
    static final Set<Concern> CONCERNS = EnumSet.of(Concern.LOAD_BALANCER);
    /** ELBv2 calls that can break the NLB's path to the gateway; template.yaml's pattern lists the same. */
    public static final Set<String> ELB_CALLS = Set.of(
            "CreateListener", "DeleteListener", "ModifyListener", "RegisterTargets", "DeregisterTargets",
            "DeleteTargetGroup", "ModifyTargetGroup", "SetSecurityGroups", "DeleteLoadBalancer");
    /** EC2 calls on security group rules; only those on the link's NLB security group are acted on. */
    public static final Set<String> SECURITY_GROUP_CALLS = Set.of(
            "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "ModifySecurityGroupRules");
    static final String ALARM = "CloudWatch Alarm State Change";

    public LoadBalancerDriftHandler() {
        super(CONCERNS);
    }

    public LoadBalancerDriftHandler(AwsLink link) {
        super(link, CONCERNS);
    }

    @Override
    Decision decide(AwsLink link, JsonNode event, Context context) throws Refused {
        EventBridgeEnvelope envelope = EventBridgeEnvelope.check(event, link.spec(), Map.of(
                "aws.elasticloadbalancing", Set.of(EventBridgeEnvelope.CLOUDTRAIL),
                "aws.ec2", Set.of(EventBridgeEnvelope.CLOUDTRAIL),
                "aws.cloudwatch", Set.of(ALARM)));
        switch (envelope.source()) {
            case "aws.elasticloadbalancing" -> envelope.cloudTrailCall("elasticloadbalancing.amazonaws.com", ELB_CALLS);
            case "aws.ec2" -> {
                envelope.cloudTrailCall("ec2.amazonaws.com", SECURITY_GROUP_CALLS);
                String group = envelope.detail().path("requestParameters").path("groupId").asText("");
                String linkGroup = link.spec().aws().nlb().securityGroupId();
                if (!group.isEmpty() && !group.equals(linkGroup)) {
                    throw new Refused(envelope.id(), "security group " + group + " is not the NLB's " + linkGroup);
                }
            }
            default -> { } // an alarm on the target group's healthy hosts: look at everything
        }
        return Decision.reconcile(envelope.id(), CONCERNS);
    }
}
