package dev.relaylink.port;

import dev.relaylink.state.Target;
import java.util.Set;

/** The ready pod endpoints of the EKS gateway service: what the NLB target group should hold. */
public interface GatewayEndpoints {
    Set<Target> ready(String namespace, String service, int port);
}
