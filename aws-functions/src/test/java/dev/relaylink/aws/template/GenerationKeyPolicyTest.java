package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.adapter.ServerCaKeyPolicy;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every later server CA generation's KMS key gets a policy equal in effect to the stack's own key
 * (ServerCaKey in template.yaml), built from the inputs the template gives the functions: the same
 * statements, principals, actions and conditions. When the stack key's policy changes, this test
 * says what the generated one must follow.
 */
class GenerationKeyPolicyTest {
    private static final String ROLE = "arn:aws:iam::" + ExampleDeployment.ACCOUNT + ":role/";

    private final CloudFormationTemplate template = CloudFormationTemplate.ofRepository();
    private final Deployment deployment = ExampleDeployment.of(template).parameter("CaKeyAdminRoleArn", ROLE + "relay-link-ca-key-admin")
            .attribute("ReconcileRole", "Arn", ROLE + "relay-link-demo-reconcile")
            .attribute("ServerCertificateRotationRole", "Arn", ROLE + "relay-link-demo-rotation");

    @Test
    void aGenerationKeysPolicyHasTheStackKeysStatements() throws Exception {
        JsonNode variables = deployment.resolve(template.globals().path("Environment").path("Variables"));
        ServerCaKeyPolicy generated = ServerCaKeyPolicy.fromEnvironment(Map.of(
                ServerCaKeyPolicy.ADMIN_VARIABLE, variables.path(ServerCaKeyPolicy.ADMIN_VARIABLE).asText(),
                ServerCaKeyPolicy.SIGNERS_VARIABLE, variables.path(ServerCaKeyPolicy.SIGNERS_VARIABLE).asText()));
        JsonNode stackKey = deployment.resolve(template.resources("AWS::KMS::Key").get("ServerCaKey").path("Properties").path("KeyPolicy"));

        assertThat(generated.signerRoleArns()).containsExactly(ROLE + "relay-link-demo-reconcile", ROLE + "relay-link-demo-rotation");
        assertThat(statements(JsonLines.JSON.readTree(generated.json()))).isEqualTo(statements(stackKey));
    }

    /** Each statement by Sid, with lists as sets: the effect, not the spelling, must be equal. */
    private static Map<String, Map<String, Object>> statements(JsonNode policy) {
        Map<String, Map<String, Object>> bySid = new TreeMap<>();
        for (JsonNode statement : policy.path("Statement")) {
            Map<String, Object> parts = new TreeMap<>();
            parts.put("Effect", statement.path("Effect").asText());
            parts.put("Principal", set(statement.path("Principal").path("AWS")));
            parts.put("Action", set(statement.path("Action")));
            parts.put("Resource", set(statement.path("Resource")));
            parts.put("Condition", statement.path("Condition")); // JSON objects compare without order
            bySid.put(statement.path("Sid").asText(), parts);
        }
        return bySid;
    }

    private static TreeSet<String> set(JsonNode value) {
        TreeSet<String> set = new TreeSet<>();
        if (value instanceof ArrayNode array) {
            array.forEach(v -> set.add(v.asText()));
        } else if (!value.isMissingNode()) {
            set.add(value.asText());
        }
        return set;
    }
}
