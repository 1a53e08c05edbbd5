package dev.relaylink.state;

/**
 * One interface endpoint connected to the endpoint service. {@code owner} is the AWS account id of
 * the consumer (EC2's {@code vpcEndpointOwner}); {@code state} is EC2's lower-case state name
 * ({@code pendingAcceptance}, {@code available}, {@code rejected}, ...).
 */
public record EndpointConnection(String vpcEndpointId, String owner, String state) {
    public static final String PENDING_ACCEPTANCE = "pendingAcceptance";
    public static final String AVAILABLE = "available";
    public static final String REJECTED = "rejected";

    public boolean isPending() {
        return PENDING_ACCEPTANCE.equalsIgnoreCase(state);
    }
}
