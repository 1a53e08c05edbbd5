package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpecReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The role the Azure function app assumes for the trust exchange (template.yaml): only its managed
 * identity, with a token from its tenant's issuer for the exchange audience, may assume it, and it
 * may only write the client CA certificates and read the server CA certificates.
 */
class TrustExchangeRoleTest {
    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static final String PRINCIPAL = "66666666-7777-8888-9999-000000000000";
    private static final String ISSUER = "login.microsoftonline.com/" + TENANT + "/v2.0";
    private static final String CREATED_PROVIDER = "arn:aws:iam::" + ExampleDeployment.ACCOUNT + ":oidc-provider/" + ISSUER;
    private static final String SECRET_ARN = "arn:aws:secretsmanager:" + ExampleDeployment.REGION + ":" + ExampleDeployment.ACCOUNT + ":secret:";

    private final CloudFormationTemplate template = CloudFormationTemplate.ofRepository();
    private final JsonNode role = template.resources("AWS::IAM::Role").get("AzureTrustExchangeRole").path("Properties");

    private Deployment deployment(String existingProvider) {
        Deployment deployment = ExampleDeployment.of(template)
                .parameter("AzureTenantId", TENANT)
                .parameter("AzureTrustExchangePrincipalId", PRINCIPAL)
                .resource("ServerCaCertificatesSecret", SECRET_ARN + "relay-link-demo/server-tls-ca-AbCdEf")
                .resource("AzureOidcProvider", CREATED_PROVIDER);
        return existingProvider.isEmpty() ? deployment : deployment.parameter("AzureOidcProviderArn", existingProvider);
    }

    @Test
    void onlyTheFunctionAppsIdentityWithATokenFromItsTenantMayAssumeIt() throws Exception {
        JsonNode trust = JsonLines.JSON.readTree(deployment("").resolve(role.path("AssumeRolePolicyDocument")).asText());

        assertThat(trust.path("Statement")).hasSize(1);
        JsonNode statement = trust.path("Statement").get(0);
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        assertThat(statement.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
        assertThat(statement.path("Principal").path("Federated").asText()).isEqualTo(CREATED_PROVIDER);
        assertThat(fields(statement.path("Condition"))).containsOnlyKeys("StringEquals");
        assertThat(fields(statement.path("Condition").path("StringEquals"))).isEqualTo(Map.of(
                ISSUER + ":aud", "api://AzureADTokenExchange",
                ISSUER + ":sub", PRINCIPAL));
        assertThat(role.path("MaxSessionDuration").asInt()).isEqualTo(3600);

        // the provider it trusts is the tenant's v2.0 issuer, for the audience the app asks for
        JsonNode provider = template.resources("AWS::IAM::OIDCProvider").get("AzureOidcProvider");
        assertThat(provider.path("Condition").asText()).isEqualTo("CreatesAzureOidcProvider");
        JsonNode properties = deployment("").resolve(provider.path("Properties"));
        assertThat(properties.path("Url").asText()).isEqualTo("https://" + ISSUER);
        assertThat(properties.path("ClientIdList")).extracting(JsonNode::asText).containsExactly("api://AzureADTokenExchange");
    }

    @Test
    void anAccountThatHasTheTenantsProviderAlreadyTrustsThatOne() throws Exception {
        String existing = "arn:aws:iam::" + ExampleDeployment.ACCOUNT + ":oidc-provider/" + ISSUER;
        String parameterPattern = template.parameters().path("AzureOidcProviderArn").path("AllowedPattern").asText();
        assertThat(existing).matches(parameterPattern);
        assertThat("").matches(parameterPattern);
        assertThat("arn:aws:iam::" + ExampleDeployment.ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com").doesNotMatch(parameterPattern);

        Deployment deployment = deployment(existing);
        JsonNode trust = JsonLines.JSON.readTree(deployment.resolve(role.path("AssumeRolePolicyDocument")).asText());
        assertThat(trust.path("Statement").get(0).path("Principal").path("Federated").asText()).isEqualTo(existing);
    }

    @Test
    void itMayWriteTheClientCasAndTheWorkloadsConfirmationAndReadTheServerCasAndTheGatewaysConfirmationOnly() {
        assertThat(role.path("ManagedPolicyArns").isMissingNode()).as("no managed policy widens it").isTrue();
        JsonNode policies = role.path("Policies");
        assertThat(policies).hasSize(1);
        Map<String, List<String>> actionsByResource = new TreeMap<>();
        for (JsonNode statement : policies.get(0).path("PolicyDocument").path("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            List<String> actions = new ArrayList<>();
            statement.path("Action").forEach(a -> actions.add(a.asText()));
            actionsByResource.put(statement.path("Resource").path("Ref").asText(), actions);
        }
        assertThat(actionsByResource).isEqualTo(Map.of(
                "ClientCaCertificatesSecret", List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
                "ServerCaCertificatesSecret", List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"),
                "ClientCaInGatewaySecret", List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"),
                "ServerCaInWorkloadsSecret", List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue")));
        assertThat(template.root().path("Outputs").path("AzureTrustExchangeRoleArn").path("Value").path("Fn::GetAtt").path(0).asText())
                .isEqualTo("AzureTrustExchangeRole");
    }

    /** The Azure side defaults to {@code <serverCertSecretId>-client-ca} and {@code -ca}, as the AWS functions do: the stack's names. */
    @Test
    void theSecretsAreTheOnesBothSidesNameByDefault() {
        Deployment deployment = deployment("");
        LinkSpec deployed = LinkSpecReader.read(deployment.resolve(template.globals().path("Environment").path("Variables").path("RELAY_LINK_SPEC")).asText());
        AwsFunctions.Settings defaults = AwsFunctions.Settings.defaults(deployed, "unused");
        Map<String, JsonNode> secrets = template.resources("AWS::SecretsManager::Secret");

        assertThat(deployment.resolve(secrets.get("ClientCaCertificatesSecret").path("Properties").path("Name")).asText())
                .isEqualTo(deployed.aws().serverCertSecretId() + "-client-ca").isEqualTo(defaults.clientCaSecretId());
        assertThat(deployment.resolve(secrets.get("ServerCaCertificatesSecret").path("Properties").path("Name")).asText())
                .isEqualTo(deployed.aws().serverCertSecretId() + "-ca").isEqualTo(defaults.serverCaSecretId());
        // the CA rotation's confirmations: the AWS functions' names, and the Azure side's (its CA secrets' names
        // plus -in-gateway and -in-workloads, AwsTrustExchange.Settings)
        assertThat(deployment.resolve(secrets.get("ClientCaInGatewaySecret").path("Properties").path("Name")).asText())
                .isEqualTo(defaults.clientCasInGatewaySecretId()).isEqualTo(defaults.clientCaSecretId() + "-in-gateway");
        assertThat(deployment.resolve(secrets.get("ServerCaInWorkloadsSecret").path("Properties").path("Name")).asText())
                .isEqualTo(defaults.serverCasInWorkloadsSecretId()).isEqualTo(defaults.serverCaSecretId() + "-in-workloads");
    }

    private static Map<String, String> fields(JsonNode object) {
        Map<String, String> fields = new TreeMap<>();
        object.properties().forEach(e -> fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return fields;
    }
}
