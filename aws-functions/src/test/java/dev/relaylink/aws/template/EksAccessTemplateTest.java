package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.k8s.TypedKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * template.yaml and deploy/kubernetes/eks agree: each function's EKS access entry maps it to the
 * group whose Role grants what that function calls, and the NLB's target port (target group,
 * health check, security group) is the port Envoy Gateway's data plane really listens on.
 */
class EksAccessTemplateTest {
    /** Envoy Gateway adds this to a listener port below 1024 (internal/gatewayapi/translator.go, wellKnownPortShift). */
    private static final int ENVOY_GATEWAY_PORT_SHIFT = 10000;

    private final CloudFormationTemplate template = CloudFormationTemplate.ofRepository();
    private final Path rbac = CloudFormationTemplate.repositoryRoot().resolve("deploy/kubernetes/eks/rbac.yaml");

    @Test
    void eachFunctionRoleMapsToTheGroupOfItsOwnRole() throws Exception {
        Map<String, String> groupByRole = new HashMap<>();
        template.resources("AWS::EKS::AccessEntry").values().forEach(entry -> {
            JsonNode properties = entry.path("Properties");
            assertThat(properties.path("KubernetesGroups")).hasSize(1);
            assertThat(properties.has("AccessPolicies")).isFalse();
            groupByRole.put(properties.path("PrincipalArn").path("Fn::GetAtt").get(0).asText(), properties.path("KubernetesGroups").get(0).asText());
        });
        // The cluster-change function reconciles what the audit log reports: the reconcile's group.
        assertThat(groupByRole).isEqualTo(Map.of("ReconcileRole", "relay-link-reconcile", "ClusterChangeRole", "relay-link-reconcile",
                "LoadBalancerDriftRole", "relay-link-load-balancer", "ServerCertificateRotationRole", "relay-link-server-rotation"));
        String manifests = Files.readString(rbac);
        assertThat(TypedKinds.errorsInYaml(manifests)).isEmpty();
        TreeSet<String> bound = new TreeSet<>();
        for (JsonNode object : new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readerFor(JsonNode.class).<JsonNode>readValues(manifests).readAll()) {
            if (object.path("kind").asText().equals("RoleBinding")) {
                bound.add(object.path("subjects").get(0).path("name").asText());
            }
        }
        assertThat(bound).isEqualTo(new TreeSet<>(groupByRole.values()));
    }

    @Test
    void theTargetPortIsEnvoyGatewaysDataPlanePortForTheRelayListener() {
        JsonNode parameters = template.parameters();
        int relayPort = parameters.path("RelayPort").path("Default").asInt();
        int targetPort = parameters.path("GatewayTargetPort").path("Default").asInt();
        assertThat(relayPort).isEqualTo(443);
        assertThat(targetPort).isEqualTo(relayPort + ENVOY_GATEWAY_PORT_SHIFT);

        JsonNode targetGroup = template.resources("AWS::ElasticLoadBalancingV2::TargetGroup").get("GatewayTargetGroup").path("Properties");
        assertThat(targetGroup.path("Port").path("Ref").asText()).isEqualTo("GatewayTargetPort");
        // The TCP health check goes to the traffic port unless a HealthCheckPort says otherwise.
        assertThat(targetGroup.path("HealthCheckProtocol").asText()).isEqualTo("TCP");
        assertThat(targetGroup.has("HealthCheckPort")).isFalse();
        JsonNode egress = template.resources("AWS::EC2::SecurityGroup").get("NlbSecurityGroup").path("Properties").path("SecurityGroupEgress");
        assertThat(egress).allSatisfy(rule -> {
            assertThat(rule.path("FromPort").path("Ref").asText()).isEqualTo("GatewayTargetPort");
            assertThat(rule.path("ToPort").path("Ref").asText()).isEqualTo("GatewayTargetPort");
        });
    }
}
