package dev.relaylink.plan;

import dev.relaylink.pki.SpiffeId;
import dev.relaylink.state.GatewayClientPolicy;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.Target;
import dev.relaylink.state.WorkloadEgressPolicy;
import java.util.List;
import java.util.Set;

/**
 * One step of a {@link Plan}: what to change, on what, and why. Actions carry identifiers and
 * public data only; the executor's ports fetch or create key material themselves.
 */
public sealed interface Action {

    /** What the action changes, for the audit log (an id, ARN, name or SPIFFE ID). */
    String target();

    /** Why the planner wants it, in words an operator reads in the audit log. */
    String reason();

    /** Why the planner wants it, as a code: what the audit log, the metrics and the tests match on. */
    Reason code();

    // --- AWS: endpoint service (PrivateLink) ---

    /** Creates the service with acceptance required and grants exactly {@code allowedPrincipals}. */
    record CreateEndpointService(String loadBalancerArn, Set<String> allowedPrincipals, String reason, Reason code) implements Action {
        public String target() {
            return loadBalancerArn;
        }
    }

    record RequireAcceptance(String serviceId, String reason, Reason code) implements Action {
        public String target() {
            return serviceId;
        }
    }

    record SetEndpointServiceLoadBalancer(String serviceId, String loadBalancerArn, Set<String> remove, String reason, Reason code) implements Action {
        public String target() {
            return serviceId;
        }
    }

    record SetAllowedPrincipals(String serviceId, Set<String> add, Set<String> remove, String reason, Reason code) implements Action {
        public String target() {
            return serviceId;
        }
    }

    /** Accept pending connections, at most {@link Planner#CONNECTION_BATCH} ids per action. */
    record AcceptConnections(String serviceId, List<String> vpcEndpointIds, String reason, Reason code) implements Action {
        public String target() {
            return serviceId + " " + vpcEndpointIds;
        }
    }

    record RejectConnections(String serviceId, List<String> vpcEndpointIds, String reason, Reason code) implements Action {
        public String target() {
            return serviceId + " " + vpcEndpointIds;
        }
    }

    // --- AWS: NLB ---

    record DeleteListener(String listenerArn, String reason, Reason code) implements Action {
        public String target() {
            return listenerArn;
        }
    }

    record CreateListener(String loadBalancerArn, int port, String targetGroupArn, String reason, Reason code) implements Action {
        public String target() {
            return loadBalancerArn + ":" + port;
        }
    }

    record RegisterTargets(String targetGroupArn, Set<Target> targets, String reason, Reason code) implements Action {
        public String target() {
            return targetGroupArn + " " + targets;
        }
    }

    record DeregisterTargets(String targetGroupArn, Set<Target> targets, String reason, Reason code) implements Action {
        public String target() {
            return targetGroupArn + " " + targets;
        }
    }

    /**
     * Write the TargetGroupBinding: exactly {@code binding}, from which the AWS Load Balancer Controller registers
     * the gateway pods in the target group (controller mode; relay-link then registers no target itself).
     */
    record WriteTargetGroupBinding(dev.relaylink.state.TargetGroupBinding binding, String reason, Reason code) implements Action {
        public String target() {
            return "eks:" + binding.key() + " (TargetGroupBinding)";
        }
    }

    record SetLoadBalancerSecurityGroups(String loadBalancerArn, Set<String> securityGroupIds, String reason, Reason code) implements Action {
        public String target() {
            return loadBalancerArn + " " + securityGroupIds;
        }
    }

    record AuthorizeIngress(String securityGroupId, Set<IngressRule> rules, String reason, Reason code) implements Action {
        public String target() {
            return securityGroupId + " " + rules;
        }
    }

    record RevokeIngress(String securityGroupId, Set<IngressRule> rules, String reason, Reason code) implements Action {
        public String target() {
            return securityGroupId + " " + rules;
        }
    }

    // --- CAs and certificates ---

    /**
     * Create a CA generation of a side on a new key (KMS / Key Vault) and publish its certificate:
     * the first one issues at once, a later one is trusted first and issues only after {@link StartIssuing}.
     */
    record CreateCa(CaSide side, String reason, Reason code) implements Action {
        public String target() {
            return side + " CA";
        }
    }

    /** Switch the side's issuing CA to the generation with this fingerprint (every consumer's bundle holds it). */
    record StartIssuing(CaSide side, String fingerprint, String reason, Reason code) implements Action {
        public String target() {
            return side + " CA " + fingerprint.substring(0, 16);
        }
    }

    /** Retire a generation no leaf needs any more: its key out of use, its certificate out of the published list. */
    record RetireCa(CaSide side, String fingerprint, String reason, Reason code) implements Action {
        public String target() {
            return side + " CA " + fingerprint.substring(0, 16);
        }
    }

    /** Issue a new server certificate from the server CA and make it current (the four rotation steps). */
    record RotateServerCertificate(String hostName, String reason, Reason code) implements Action {
        public String target() {
            return hostName;
        }
    }

    /** Issue a new client certificate from the client CA and import it as the workload's current version. */
    record RotateClientCertificate(SpiffeId workload, String reason, Reason code) implements Action {
        public String target() {
            return workload.toString();
        }
    }

    // --- Trust across clouds (public CA certificates only) ---

    /** Publish this side's client CA certificates to the AWS side, where the EKS gateway's client CA bundle comes from. */
    record PublishClientCas(String reason, Reason code) implements Action {
        public String target() {
            return "aws: client CA certificates";
        }
    }

    /**
     * Sign a revocation list with the client CA (in Key Vault) listing {@code revoked}, and publish it
     * to the AWS side beside the client CA certificates: the EKS gateway refuses what it lists.
     */
    record PublishRevocationList(List<java.security.cert.X509Certificate> revoked, String reason, Reason code) implements Action {
        public String target() {
            return "aws: client CA revocation list (" + revoked.size() + " revoked)";
        }
    }

    /** Copy the server CA certificates the AWS side publishes into this side's mirror, which the workloads' secrets carry. */
    record MirrorServerCas(String reason, Reason code) implements Action {
        public String target() {
            return "azure: server CA certificates";
        }
    }

    /** AWS side: confirm the client CAs the EKS gateway's bundle holds, as the step observes it there. */
    record AcknowledgeGatewayClientCas(String reason, Reason code) implements Action {
        public String target() {
            return "aws: client CAs in the gateway bundle";
        }
    }

    /** Azure side: confirm to AWS the server CAs every workload's bundle holds, as the step observes them there. */
    record AcknowledgeWorkloadServerCas(String reason, Reason code) implements Action {
        public String target() {
            return "aws: server CAs in the workloads' bundles";
        }
    }

    // --- Clusters ---

    /** Write the EKS gateway's TLS secret from the current server certificate. */
    record WriteGatewayTlsSecret(String namespace, String name, String reason, Reason code) implements Action {
        public String target() {
            return "eks:" + namespace + "/" + name;
        }
    }

    /** Write the client CA bundle ({@code ca.crt}) that the EKS gateway trusts. */
    record WriteGatewayClientCaBundle(String namespace, String name, String reason, Reason code) implements Action {
        public String target() {
            return "eks:" + namespace + "/" + name;
        }
    }

    /** Write the client CA's published revocation list ({@code ca.crl}) that the gateway's policy references. */
    record WriteGatewayRevocationList(String namespace, String name, String reason, Reason code) implements Action {
        public String target() {
            return "eks:" + namespace + "/" + name;
        }
    }

    /** Write the gateway's ClientTrafficPolicy: exactly {@code policy}, which Envoy Gateway enforces. */
    record WriteGatewayClientPolicy(GatewayClientPolicy policy, String reason, Reason code) implements Action {
        public String target() {
            return "eks:" + policy.key() + " (ClientTrafficPolicy)";
        }
    }

    /** Write a workload's AKS secret: its client certificate and key plus the server CA bundle. */
    record WriteWorkloadSecret(SpiffeId workload, String namespace, String name, String reason, Reason code) implements Action {
        public String target() {
            return "aks:" + namespace + "/" + name;
        }
    }

    /** Write a workload's egress NetworkPolicy: exactly {@code policy} (the private endpoint and DNS, nothing else). */
    record WriteWorkloadEgressPolicy(WorkloadEgressPolicy policy, String reason, Reason code) implements Action {
        public String target() {
            return "aks:" + policy.key() + " (NetworkPolicy)";
        }
    }

    // --- Azure: Private Link Service and DNS ---

    record ApprovePrivateEndpoint(String connectionName, String reason, Reason code) implements Action {
        public String target() {
            return connectionName;
        }
    }

    record RejectPrivateEndpoint(String connectionName, String reason, Reason code) implements Action {
        public String target() {
            return connectionName;
        }
    }

    record SetDnsRecord(String zone, String recordName, Set<String> ipv4, String reason, Reason code) implements Action {
        public String target() {
            return recordName + "." + zone;
        }
    }

    enum CaSide { SERVER, CLIENT }
}
