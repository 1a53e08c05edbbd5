package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/aws/transit.yaml (cfn-lint checks it against CloudFormation's schemas in scripts/test):
 * the interface endpoint to relay-link's endpoint service opens exactly one door, the relay port,
 * to the Azure prefixes only, and announces no DNS name in the transit VPC.
 */
class TransitTemplateTest {
    private final JsonNode template = CloudFormationTemplate.load(CloudFormationTemplate.repositoryRoot().resolve("deploy/aws/transit.yaml")).root();
    private final JsonNode resources = template.path("Resources");

    @Test
    void theEndpointIsAnInterfaceToTheEndpointServiceWithPrivateDnsOff() {
        JsonNode endpoint = resources.path("RelayEndpoint").path("Properties");
        assertThat(resources.path("RelayEndpoint").path("Type").asText()).isEqualTo("AWS::EC2::VPCEndpoint");
        assertThat(endpoint.path("VpcEndpointType").asText()).isEqualTo("Interface");
        assertThat(endpoint.path("ServiceName").path("Ref").asText()).isEqualTo("EndpointServiceName");
        assertThat(endpoint.path("PrivateDnsEnabled").asBoolean(true)).isFalse();
        assertThat(endpoint.path("SecurityGroupIds")).extracting(n -> n.path("Ref").asText()).containsExactly("EndpointSecurityGroup");
        assertThat(endpoint.has("PolicyDocument")).as("interface endpoints to an endpoint service take no policy").isFalse();
    }

    @Test
    void onlyTheAzurePrefixesReachTheRelayPortAndNothingLeaves() {
        JsonNode group = resources.path("EndpointSecurityGroup").path("Properties");
        assertThat(group.has("SecurityGroupIngress")).as("no inline ingress").isFalse();
        assertThat(group.path("SecurityGroupEgress")).hasSize(1);
        assertThat(group.path("SecurityGroupEgress").get(0).path("CidrIp").asText()).isEqualTo("127.0.0.1/32");

        List<JsonNode> ingress = new ArrayList<>();
        resources.fields().forEachRemaining(f -> {
            if (f.getKey().startsWith("Fn::ForEach::")) {
                JsonNode loop = f.getValue();
                assertThat(loop.get(1).path("Ref").asText()).isEqualTo("AzurePrefixes");
                loop.get(2).forEach(ingress::add);
            } else {
                assertThat(f.getValue().path("Type").asText()).as(f.getKey()).isNotEqualTo("AWS::EC2::SecurityGroupIngress");
            }
        });
        assertThat(ingress).hasSize(1);
        JsonNode rule = ingress.get(0).path("Properties");
        assertThat(rule.path("GroupId").path("Fn::GetAtt").get(0).asText()).isEqualTo("EndpointSecurityGroup");
        assertThat(rule.path("IpProtocol").asText()).isEqualTo("tcp");
        assertThat(rule.path("FromPort").path("Ref").asText()).isEqualTo("RelayPort");
        assertThat(rule.path("ToPort").path("Ref").asText()).isEqualTo("RelayPort");
        assertThat(rule.path("CidrIp").path("Ref").asText()).isEqualTo("Prefix");
    }

    @Test
    void theOutputsGiveTheForwarderWhatItNeeds() {
        assertThat(template.path("Outputs").fieldNames()).toIterable()
                .contains("EndpointId", "EndpointNetworkInterfaceIds", "EndpointPort", "EndpointDnsName");
        assertThat(template.path("Parameters").path("RelayPort").path("Default").asInt()).isEqualTo(443);
    }
}
