package dev.relaylink.port;

import dev.relaylink.state.PrivateEndpointConnection;
import java.util.List;
import java.util.Optional;

/** The Azure Private Link Service that fronts the forwarder, and its private endpoint connections (ARM). */
public interface PrivateLinkServicePort {

    List<PrivateEndpointConnection> connections();

    Optional<PrivateEndpointConnection> connection(String name);

    void approve(String name, String description);

    void reject(String name, String description);
}
