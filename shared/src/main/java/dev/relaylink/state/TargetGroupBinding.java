package dev.relaylink.state;

import java.util.List;

/**
 * The part of an AWS Load Balancer Controller {@code TargetGroupBinding} (elbv2.k8s.aws/v1beta1) that
 * decides which pods the controller registers in which target group, as relay-link writes it and reads
 * it back. {@code otherSettings} names every field found beyond these (a {@code nodeSelector}, an
 * {@code iamRoleArnToAssume}, a second ingress rule, ...): relay-link writes none.
 *
 * @param targetType {@code ip}: the gateway pods' own addresses are the targets
 * @param serviceName the Service whose EndpointSlices the controller follows (the gateway's)
 * @param servicePort that Service's port
 * @param ingressFromSecurityGroups the security groups the controller lets reach the pods (networking.ingress), TCP
 */
public record TargetGroupBinding(String namespace, String name, String targetGroupArn, String targetType, String serviceName, int servicePort,
                                 List<String> ingressFromSecurityGroups, List<String> otherSettings) {
    public static final String IP = "ip";

    public TargetGroupBinding {
        ingressFromSecurityGroups = List.copyOf(ingressFromSecurityGroups);
        otherSettings = List.copyOf(otherSettings);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
