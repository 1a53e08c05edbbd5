package dev.relaylink.aws.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * template.yaml deployed for examples/link.yaml: every parameter from the example spec (the JSON
 * sections exactly as `yq -o json -I0` would print them), and the physical ids the example spec
 * and the sample events in testing/src/main/resources/events name (account 111122223333, eu-west-1).
 */
public final class ExampleDeployment {
    public static final String REGION = "eu-west-1";
    public static final String ACCOUNT = "111122223333";

    private ExampleDeployment() {
    }

    public static JsonNode exampleSpec() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(CloudFormationTemplate.repositoryRoot().resolve("examples/link.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Deployment of(CloudFormationTemplate template) {
        JsonNode spec = exampleSpec();
        JsonNode relay = spec.get("relay");
        JsonNode aws = spec.get("aws");
        JsonNode nlb = aws.get("nlb");
        JsonNode certificates = spec.get("certificates");
        String loadBalancerArn = nlb.get("loadBalancerArn").asText();
        String targetGroupArn = nlb.get("targetGroupArn").asText();
        String linkName = spec.get("name").asText();
        ObjectMapper json = new ObjectMapper();
        try {
            return new Deployment(template, REGION, ACCOUNT)
                    .parameter("LinkName", linkName)
                    .parameter("TrustDomain", spec.get("trustDomain").asText())
                    .parameter("VpcId", "vpc-0a1b2c3d4e5f60718")
                    .listParameter("SubnetIds", "subnet-0a1b2c3d4e5f60718", "subnet-0b1c2d3e4f5a60718")
                    .parameter("EksClusterName", aws.get("eksCluster").asText())
                    .parameter("EksClusterEndpoint", "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com")
                    .parameter("EksClusterCertificateAuthority", Base64.getEncoder().encodeToString(
                            "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII)))
                    .parameter("EksClusterSecurityGroupId", "sg-0fedcba9876543210")
                    .parameter("RelayNamespace", relay.get("namespace").asText())
                    .parameter("GatewayService", relay.get("gatewayService").asText())
                    .parameter("RelayHostName", relay.get("hostName").asText())
                    .parameter("RelayPort", relay.get("port").asText())
                    .parameter("RelayTlsSecret", relay.get("tlsSecret").asText())
                    .parameter("RelayClientCaSecret", relay.get("clientCaSecret").asText())
                    .parameter("RelayClientTrafficPolicy", relay.get("clientTrafficPolicy").asText())
                    .parameter("RelayGatewayName", relay.get("gateway").asText())
                    .parameter("RelayListener", relay.get("listener").asText())
                    .parameter("RelayCrlSecret", relay.get("crlSecret").asText())
                    .listParameter("AllowedPrincipals", texts(aws.get("endpointService").get("allowedPrincipals")))
                    .listParameter("AllowedSourceCidrs", texts(nlb.get("allowedSourceCidrs")))
                    .parameter("TargetRegistration", nlb.get("targets").asText())
                    .parameter("AzureSpec", json.writeValueAsString(spec.get("azure")))
                    .parameter("Workloads", json.writeValueAsString(spec.get("workloads")))
                    .parameter("ServerCertificateLifetime", certificates.get("server").get("lifetime").asText())
                    .parameter("ServerCertificateRenewBefore", certificates.get("server").get("renewBefore").asText())
                    .parameter("ClientCertificateLifetime", certificates.get("client").get("lifetime").asText())
                    .parameter("ClientCertificateRenewBefore", certificates.get("client").get("renewBefore").asText())
                    .parameter("CaLifetime", certificates.get("caLifetime").asText())
                    .parameter("CaRenewBefore", certificates.get("ca").get("renewBefore").asText())
                    .resource("RelayNlb", loadBalancerArn)
                    .attribute("RelayNlb", "LoadBalancerFullName", loadBalancerArn.substring(loadBalancerArn.indexOf(":loadbalancer/") + 14))
                    .attribute("RelayNlb", "DNSName", "relay-nlb-0123456789abcdef.elb.eu-west-1.amazonaws.com")
                    .resource("GatewayTargetGroup", targetGroupArn)
                    .attribute("GatewayTargetGroup", "TargetGroupFullName", targetGroupArn.substring(targetGroupArn.indexOf(":targetgroup/") + 1))
                    .resource("NlbSecurityGroup", nlb.get("securityGroupId").asText())
                    .attribute("NlbSecurityGroup", "GroupId", nlb.get("securityGroupId").asText())
                    .resource("HealthyHostsAlarm", linkName + "-healthy-hosts")
                    .attribute("HealthyHostsAlarm", "Arn", "arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:" + linkName + "-healthy-hosts")
                    .resource("ServerCaKeyAlias", "alias/" + linkName + "-server-ca")
                    .resource("LinkStateTable", linkName + "-state")
                    .resource("ClientCaCertificatesSecret", "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + linkName + "/server-tls-client-ca-AbCdEf");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out.toArray(String[]::new);
    }
}
