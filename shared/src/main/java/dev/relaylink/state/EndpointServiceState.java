package dev.relaylink.state;

import java.util.Set;

/** What EC2 says about the VPC endpoint service (DescribeVpcEndpointServiceConfigurations + permissions). */
public record EndpointServiceState(String serviceId, String serviceName, boolean acceptanceRequired,
                                   Set<String> allowedPrincipals, Set<String> loadBalancerArns) {
    public EndpointServiceState {
        allowedPrincipals = Set.copyOf(allowedPrincipals);
        loadBalancerArns = Set.copyOf(loadBalancerArns);
    }
}
