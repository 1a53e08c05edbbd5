package dev.relaylink.state;

import java.util.List;
import java.util.Set;

/**
 * The Azure side of the network path, as observed.
 *
 * @param privateEndpoints the private endpoint connections of the Private Link Service
 * @param dnsRecordIps the IPv4 addresses of the private DNS A record for the relay host
 */
public record AzureNetworkState(List<PrivateEndpointConnection> privateEndpoints, Set<String> dnsRecordIps) {

    public static AzureNetworkState none() {
        return new AzureNetworkState(List.of(), Set.of());
    }
}
