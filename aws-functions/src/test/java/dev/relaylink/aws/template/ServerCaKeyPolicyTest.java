package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The server CA key's policy (template.yaml, ServerCaKey), evaluated as KMS evaluates a key policy
 * for a principal and an action: only the two issuing functions may sign, only the way relay-link
 * signs; nobody may rewrite the policy, create a grant or sign through IAM (the account is not a
 * principal), so no later change can hand kms:Sign to anyone else.
 */
class ServerCaKeyPolicyTest {
    private static final String ROLE = "arn:aws:iam::" + ExampleDeployment.ACCOUNT + ":role/";
    private static final String ADMIN = ROLE + "relay-link-ca-key-admin";
    private static final String RECONCILE = ROLE + "relay-link-demo-ReconcileRole-AbC";
    private static final String ROTATION = ROLE + "relay-link-demo-ServerCertificateRotationRole-DeF";

    private final CloudFormationTemplate template = CloudFormationTemplate.ofRepository();
    private final JsonNode key = template.resources("AWS::KMS::Key").get("ServerCaKey").path("Properties");
    private final JsonNode policy = ExampleDeployment.of(template).parameter("CaKeyAdminRoleArn", ADMIN)
            .attribute("ReconcileRole", "Arn", RECONCILE).attribute("ServerCertificateRotationRole", "Arn", ROTATION)
            .resolve(key.path("KeyPolicy"));

    @Test
    void onlyTheTwoIssuingFunctionsSignAndOnlyRawEcdsaSha256() {
        assertThat(allowed("kms:Sign")).containsExactlyInAnyOrder(RECONCILE, ROTATION);
        for (JsonNode statement : statementsAllowing("kms:Sign")) {
            assertThat(fields(statement.path("Condition"))).containsOnlyKeys("StringEquals");
            assertThat(fields(statement.path("Condition").path("StringEquals")))
                    .isEqualTo(Map.of("kms:SigningAlgorithm", "ECDSA_SHA_256", "kms:MessageType", "RAW"));
        }
    }

    @Test
    void nobodyCanRewriteThePolicyGrantOrLetIamDecide() {
        for (String action : List.of("kms:PutKeyPolicy", "kms:CreateGrant", "kms:Verify", "kms:ReplicateKey", "kms:Decrypt")) {
            assertThat(allowed(action)).as(action).isEmpty();
        }
        assertThat(principals()).as("no account root, no wildcard: IAM policies of the account grant nothing on this key")
                .noneMatch(p -> p.endsWith(":root") || p.equals("*"));
        // KMS refuses a policy that locks out its own creator unless told so: this one locks out everyone, on purpose.
        assertThat(key.path("BypassPolicyLockoutSafetyCheck").asBoolean()).isTrue();
        assertThat(policy.path("Statement")).allMatch(s -> s.path("Effect").asText().equals("Allow"));
    }

    @Test
    void theAdminRoleAdministersButNeitherSignsNorChangesThePolicy() {
        for (String action : List.of("kms:DisableKey", "kms:EnableKey", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:TagResource")) {
            assertThat(allowed(action)).as(action).containsExactly(ADMIN);
        }
        assertThat(actionsOf(ADMIN)).noneMatch(a -> a.contains("*") || a.equals("kms:Sign") || a.equals("kms:PutKeyPolicy") || a.equals("kms:CreateGrant"));
        assertThat(template.parameters().path("CaKeyAdminRoleArn").path("Default").isMissingNode()).as("no default admin").isTrue();
        assertThat(ADMIN).matches(template.parameters().path("CaKeyAdminRoleArn").path("AllowedPattern").asText());
        assertThat("arn:aws:iam::" + ExampleDeployment.ACCOUNT + ":root").doesNotMatch(template.parameters().path("CaKeyAdminRoleArn").path("AllowedPattern").asText());
    }

    /** The principals an Allow statement with a matching action names ({@code kms:*}-style wildcards match too). */
    private Set<String> allowed(String action) {
        Set<String> principals = new TreeSet<>();
        statementsAllowing(action).forEach(s -> principals.addAll(texts(s.path("Principal").path("AWS"))));
        return principals;
    }

    private List<JsonNode> statementsAllowing(String action) {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode statement : policy.path("Statement")) {
            if (statement.path("Effect").asText().equals("Allow") && texts(statement.path("Action")).stream().anyMatch(a -> matches(a, action))) {
                statements.add(statement);
            }
        }
        return statements;
    }

    private Set<String> actionsOf(String principal) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.path("Statement")) {
            if (texts(statement.path("Principal").path("AWS")).contains(principal)) {
                actions.addAll(texts(statement.path("Action")));
            }
        }
        return actions;
    }

    private Set<String> principals() {
        Set<String> principals = new TreeSet<>();
        for (JsonNode statement : policy.path("Statement")) {
            JsonNode principal = statement.path("Principal");
            principals.addAll(principal.isTextual() ? List.of(principal.asText()) : texts(principal.path("AWS")));
        }
        return principals;
    }

    private static boolean matches(String pattern, String action) {
        return action.toLowerCase().matches(pattern.toLowerCase().replace("*", ".*").replace("?", "."));
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isTextual()) {
            texts.add(node.asText());
        }
        node.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static Map<String, String> fields(JsonNode node) {
        Map<String, String> fields = new java.util.TreeMap<>();
        node.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
        return fields;
    }
}
