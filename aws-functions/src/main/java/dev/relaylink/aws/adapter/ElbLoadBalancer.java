package dev.relaylink.aws.adapter;

import dev.relaylink.port.LoadBalancerPort;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.ListenerState;
import dev.relaylink.state.Target;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * The NLB in front of the EKS gateway (ELBv2: listeners, IP targets) and its security group's
 * inbound rules (EC2).
 */
public final class ElbLoadBalancer implements LoadBalancerPort {
    /** What a rule that is not a single port (a range, or all traffic) shows as, so the planner can revoke it. */
    public static final int ANY_PORT = -1;
    private static final String RULE_DESCRIPTION = "relay-link";

    private final ElasticLoadBalancingV2Client elb;
    private final Ec2Client ec2;

    public ElbLoadBalancer(ElasticLoadBalancingV2Client elb, Ec2Client ec2) {
        this.elb = elb;
        this.ec2 = ec2;
    }

    @Override
    public List<ListenerState> listeners(String loadBalancerArn) {
        return elb.describeListenersPaginator(r -> r.loadBalancerArn(loadBalancerArn)).listeners().stream()
                .map(l -> new ListenerState(l.listenerArn(), l.port(), l.protocolAsString(), forwardTarget(l)))
                .toList();
    }

    @Override
    public void deleteListener(String listenerArn) {
        elb.deleteListener(r -> r.listenerArn(listenerArn));
    }

    @Override
    public void createListener(String loadBalancerArn, int port, String targetGroupArn) {
        elb.createListener(r -> r.loadBalancerArn(loadBalancerArn)
                .protocol(ProtocolEnum.TCP)
                .port(port)
                .defaultActions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build()));
    }

    @Override
    public Set<Target> registeredTargets(String targetGroupArn) {
        // A draining target is on its way out: it no longer counts as registered.
        return elb.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)).targetHealthDescriptions().stream()
                .filter(d -> d.targetHealth() == null || d.targetHealth().state() != TargetHealthStateEnum.DRAINING)
                .map(d -> new Target(d.target().id(), d.target().port()))
                .collect(Collectors.toSet());
    }

    @Override
    public void register(String targetGroupArn, Set<Target> targets) {
        if (!targets.isEmpty()) {
            elb.registerTargets(r -> r.targetGroupArn(targetGroupArn).targets(descriptions(targets)));
        }
    }

    @Override
    public void deregister(String targetGroupArn, Set<Target> targets) {
        if (!targets.isEmpty()) {
            elb.deregisterTargets(r -> r.targetGroupArn(targetGroupArn).targets(descriptions(targets)));
        }
    }

    @Override
    public Set<String> securityGroups(String loadBalancerArn) {
        return elb.describeLoadBalancers(r -> r.loadBalancerArns(loadBalancerArn)).loadBalancers().stream()
                .flatMap(lb -> lb.securityGroups().stream()).collect(Collectors.toSet());
    }

    @Override
    public void setSecurityGroups(String loadBalancerArn, Set<String> securityGroupIds) {
        elb.setSecurityGroups(r -> r.loadBalancerArn(loadBalancerArn).securityGroups(securityGroupIds));
    }

    @Override
    public Set<IngressRule> ingressRules(String securityGroupId) {
        return inboundRules(securityGroupId).stream().map(ElbLoadBalancer::toIngressRule).collect(Collectors.toSet());
    }

    @Override
    public void authorize(String securityGroupId, Set<IngressRule> rules) {
        for (IngressRule rule : rules) {
            try {
                ec2.authorizeSecurityGroupIngress(r -> r.groupId(securityGroupId).ipPermissions(permission(rule)));
            } catch (Ec2Exception e) {
                // The rule is there already (a concurrent repair or a retry): what we wanted holds.
                if (!"InvalidPermission.Duplicate".equals(e.awsErrorDetails().errorCode())) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void revoke(String securityGroupId, Set<IngressRule> rules) {
        // By rule id: a range or all-traffic rule cannot be named exactly by protocol, port and CIDR.
        List<String> ids = inboundRules(securityGroupId).stream()
                .filter(r -> rules.contains(toIngressRule(r)))
                .map(SecurityGroupRule::securityGroupRuleId)
                .toList();
        if (!ids.isEmpty()) {
            ec2.revokeSecurityGroupIngress(r -> r.groupId(securityGroupId).securityGroupRuleIds(ids));
        }
    }

    private List<SecurityGroupRule> inboundRules(String securityGroupId) {
        return ec2.describeSecurityGroupRulesPaginator(r -> r
                        .filters(Filter.builder().name("group-id").values(securityGroupId).build())
                        .maxResults(1000))
                .securityGroupRules().stream()
                .filter(r -> !Boolean.TRUE.equals(r.isEgress()))
                .toList();
    }

    static IngressRule toIngressRule(SecurityGroupRule rule) {
        int from = rule.fromPort() == null ? ANY_PORT : rule.fromPort();
        int to = rule.toPort() == null ? ANY_PORT : rule.toPort();
        String source = rule.cidrIpv4() != null ? rule.cidrIpv4()
                : rule.cidrIpv6() != null ? rule.cidrIpv6()
                : rule.prefixListId() != null ? rule.prefixListId()
                : rule.referencedGroupInfo() != null ? rule.referencedGroupInfo().groupId()
                : "unknown";
        return new IngressRule(rule.ipProtocol(), from == to ? from : ANY_PORT, source);
    }

    private static IpPermission permission(IngressRule rule) {
        IpPermission.Builder permission = IpPermission.builder().ipProtocol(rule.protocol()).fromPort(rule.port()).toPort(rule.port());
        if (rule.cidr().contains(":")) {
            permission.ipv6Ranges(Ipv6Range.builder().cidrIpv6(rule.cidr()).description(RULE_DESCRIPTION).build());
        } else {
            permission.ipRanges(IpRange.builder().cidrIp(rule.cidr()).description(RULE_DESCRIPTION).build());
        }
        return permission.build();
    }

    private static List<TargetDescription> descriptions(Set<Target> targets) {
        return targets.stream().sorted().map(t -> TargetDescription.builder().id(t.ip()).port(t.port()).build()).toList();
    }

    private static String forwardTarget(Listener listener) {
        return listener.defaultActions().stream()
                .filter(a -> a.type() == ActionTypeEnum.FORWARD)
                .map(a -> a.targetGroupArn() != null ? a.targetGroupArn()
                        : a.forwardConfig() != null && !a.forwardConfig().targetGroups().isEmpty()
                        ? a.forwardConfig().targetGroups().get(0).targetGroupArn() : null)
                .filter(java.util.Objects::nonNull)
                .findFirst().orElse("");
    }
}
