package dev.relaylink.plan;

import java.util.EnumSet;
import java.util.Set;

/**
 * A part of the link the planner can be asked about; a handler plans only what it observed.
 * {@link #TRUST_EXCHANGE} is the public CA certificates crossing clouds, which the Azure side
 * drives in both directions (it holds the federation to AWS). {@link #CA_GENERATIONS} is the renewal
 * of each side's own CA (next generation, switch, retirement) and the confirmations of what each
 * cloud's bundles hold: only the scheduled reconciles plan it.
 */
public enum Concern {
    ENDPOINT_SERVICE, ENDPOINT_CONNECTIONS, LOAD_BALANCER, SERVER_CERTIFICATE, EKS_SECRETS,
    CLIENT_CERTIFICATES, PRIVATE_ENDPOINTS, PRIVATE_DNS, AKS_SECRETS, TRUST_EXCHANGE,
    /** Each workload's egress NetworkPolicy in AKS, pointed at the approved private endpoint. */
    AKS_NETWORK_POLICIES,
    CA_GENERATIONS;

    public static final Set<Concern> AWS = EnumSet.of(ENDPOINT_SERVICE, ENDPOINT_CONNECTIONS, LOAD_BALANCER, SERVER_CERTIFICATE, EKS_SECRETS,
            CA_GENERATIONS);
    public static final Set<Concern> AZURE = EnumSet.of(CLIENT_CERTIFICATES, PRIVATE_ENDPOINTS, PRIVATE_DNS, AKS_SECRETS, TRUST_EXCHANGE,
            AKS_NETWORK_POLICIES, CA_GENERATIONS);
    public static final Set<Concern> ALL = EnumSet.allOf(Concern.class);
}
