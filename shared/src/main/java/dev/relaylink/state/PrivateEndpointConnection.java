package dev.relaylink.state;

/**
 * One private endpoint connection on the Azure Private Link Service. {@code status} is ARM's
 * {@code privateLinkServiceConnectionState.status}: Pending, Approved, Rejected or Disconnected.
 * {@code subscriptionId} and {@code vnetId} are those of the requesting private endpoint.
 */
public record PrivateEndpointConnection(String name, String privateEndpointId, String subscriptionId, String vnetId,
                                        String status, String privateIp) {
    public static final String PENDING = "Pending";
    public static final String APPROVED = "Approved";
    public static final String REJECTED = "Rejected";

    public boolean is(String wanted) {
        return wanted.equalsIgnoreCase(status);
    }
}
