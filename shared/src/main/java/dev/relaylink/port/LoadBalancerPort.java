package dev.relaylink.port;

import dev.relaylink.state.IngressRule;
import dev.relaylink.state.ListenerState;
import dev.relaylink.state.Target;
import java.util.List;
import java.util.Set;

/** The NLB in front of the EKS gateway, its target group and its security group (ELBv2 and EC2 APIs). */
public interface LoadBalancerPort {

    List<ListenerState> listeners(String loadBalancerArn);

    void deleteListener(String listenerArn);

    /** A TCP listener (TLS passes through to the gateway) forwarding to the target group. */
    void createListener(String loadBalancerArn, int port, String targetGroupArn);

    Set<Target> registeredTargets(String targetGroupArn);

    void register(String targetGroupArn, Set<Target> targets);

    void deregister(String targetGroupArn, Set<Target> targets);

    /** The security groups attached to the NLB. */
    Set<String> securityGroups(String loadBalancerArn);

    void setSecurityGroups(String loadBalancerArn, Set<String> securityGroupIds);

    Set<IngressRule> ingressRules(String securityGroupId);

    void authorize(String securityGroupId, Set<IngressRule> rules);

    void revoke(String securityGroupId, Set<IngressRule> rules);
}
