package dev.relaylink.port;

import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The PrivateLink endpoint service of the link (EC2 API). */
public interface EndpointServicePort {

    /** The endpoint service fronting {@code loadBalancerArn}, or tagged with the link's name; empty when there is none. */
    Optional<EndpointServiceState> describe(String linkName, String loadBalancerArn);

    /** Creates the service for the NLB with acceptance required and tags it with the link name; returns its id. */
    String create(String linkName, String loadBalancerArn);

    void requireAcceptance(String serviceId);

    void replaceLoadBalancers(String serviceId, String add, Set<String> remove);

    void modifyPermissions(String serviceId, Set<String> addPrincipals, Set<String> removePrincipals);

    List<EndpointConnection> connections(String serviceId);

    void accept(String serviceId, List<String> vpcEndpointIds);

    void reject(String serviceId, List<String> vpcEndpointIds);
}
