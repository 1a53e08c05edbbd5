package dev.relaylink.state;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The NLB and what feeds it, as observed.
 *
 * @param listeners the NLB's listeners
 * @param registeredTargets the targets registered in the link's target group (relay-link's own target mode)
 * @param gatewayEndpoints the EKS gateway's ready pod endpoints (read through fabric8): the desired targets
 * @param securityGroupRules the ingress rules of the link's security group
 * @param securityGroups the security groups attached to the NLB
 * @param targetGroupBinding the Load Balancer Controller's TargetGroupBinding relay-link keeps (controller mode)
 */
public record LoadBalancerState(List<ListenerState> listeners, Set<Target> registeredTargets, Set<Target> gatewayEndpoints,
                                Set<IngressRule> securityGroupRules, Set<String> securityGroups,
                                Optional<TargetGroupBinding> targetGroupBinding) {

    public static LoadBalancerState none() {
        return new LoadBalancerState(List.of(), Set.of(), Set.of(), Set.of(), Set.of(), Optional.empty());
    }

    public LoadBalancerState withListeners(ListenerState... listeners) {
        return new LoadBalancerState(List.of(listeners), registeredTargets, gatewayEndpoints, securityGroupRules, securityGroups, targetGroupBinding);
    }

    public LoadBalancerState withTargets(Set<Target> registered, Set<Target> gatewayEndpoints) {
        return new LoadBalancerState(listeners, registered, gatewayEndpoints, securityGroupRules, securityGroups, targetGroupBinding);
    }

    public LoadBalancerState withSecurityGroup(Set<String> securityGroups, Set<IngressRule> rules) {
        return new LoadBalancerState(listeners, registeredTargets, gatewayEndpoints, rules, securityGroups, targetGroupBinding);
    }

    public LoadBalancerState withTargetGroupBinding(Optional<TargetGroupBinding> binding) {
        return new LoadBalancerState(listeners, registeredTargets, gatewayEndpoints, securityGroupRules, securityGroups, binding);
    }
}
