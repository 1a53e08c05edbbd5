package dev.relaylink.state;

import java.util.List;
import java.util.Optional;

/**
 * AWS PrivateLink as observed: the VPC endpoint service in front of the NLB (empty when none
 * exists) and the interface endpoints connected to it.
 */
public record PrivateLinkState(Optional<EndpointServiceState> service, List<EndpointConnection> connections) {

    public static PrivateLinkState none() {
        return new PrivateLinkState(Optional.empty(), List.of());
    }

    public static PrivateLinkState of(EndpointServiceState service, EndpointConnection... connections) {
        return new PrivateLinkState(Optional.of(service), List.of(connections));
    }
}
