package dev.relaylink.aws.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relaylink.audit.JsonLines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key policy of every server CA generation's KMS key: the same statements as the stack's own
 * key (template.yaml, ServerCaKey), built from the same inputs, which the reconcile function gets
 * as environment variables: who administers the key (and may not sign), and the roles of the two
 * functions that issue server certificates, which alone sign, and only the way relay-link signs.
 */
public record ServerCaKeyPolicy(String administratorArn, List<String> signerRoleArns, String managerRoleArn) {
    public static final String ADMIN_VARIABLE = "RELAY_CA_KEY_ADMIN_ARN";
    public static final String SIGNERS_VARIABLE = "RELAY_CA_KEY_SIGNER_ROLE_ARNS";
    public static final String MANAGER_VARIABLE = "RELAY_CA_KEY_MANAGER_ROLE_ARN";
    /**
     * What the reconcile, which creates and retires generations, does to a generation's key beyond
     * the stack key's statements: no key policy here lets IAM decide, so its own policy must name them.
     */
    static final List<String> GENERATION_MANAGEMENT = List.of("kms:CreateAlias", "kms:DescribeKey", "kms:ScheduleKeyDeletion");

    /**
     * Administration without kms:Sign, kms:Verify, kms:CreateGrant or kms:PutKeyPolicy: nobody can
     * rewrite the policy to grant themselves kms:Sign (as on the stack's key, ServerCaKey).
     */
    static final List<String> ADMINISTRATION = List.of("kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey",
            "kms:DisableKey", "kms:EnableKey", "kms:GetKeyPolicy", "kms:GetPublicKey", "kms:ListAliases", "kms:ListKeyPolicies",
            "kms:ListResourceTags", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
            "kms:UpdateAlias", "kms:UpdateKeyDescription");

    public ServerCaKeyPolicy {
        if (administratorArn == null || administratorArn.isBlank() || signerRoleArns.isEmpty() || managerRoleArn == null || managerRoleArn.isBlank()) {
            throw new IllegalArgumentException("a server CA key policy needs its administrator, its signer roles and the role that manages generations");
        }
        signerRoleArns = List.copyOf(signerRoleArns);
    }

    /** From {@value #ADMIN_VARIABLE} and the comma-separated {@value #SIGNERS_VARIABLE}. */
    public static ServerCaKeyPolicy fromEnvironment(Map<String, String> environment) {
        String admin = environment.getOrDefault(ADMIN_VARIABLE, "");
        String signers = environment.getOrDefault(SIGNERS_VARIABLE, "");
        String manager = environment.getOrDefault(MANAGER_VARIABLE, "");
        if (admin.isBlank() || signers.isBlank() || manager.isBlank()) {
            throw new dev.relaylink.failure.ConfigurationFailure(ADMIN_VARIABLE + ", " + SIGNERS_VARIABLE + " and " + MANAGER_VARIABLE
                    + " must be set to create a server CA generation");
        }
        return new ServerCaKeyPolicy(admin.trim(), List.of(signers.trim().split("\\s*,\\s*")), manager.trim());
    }

    /** The policy as CreateKey takes it. */
    public String json() {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", List.of(
                statement("AdministerKeyNotSign", administratorArn, ADMINISTRATION, null),
                statement("SignServerCertificates", signerRoleArns, "kms:Sign",
                        Map.of("StringEquals", Map.of("kms:SigningAlgorithm", "ECDSA_SHA_256", "kms:MessageType", "RAW"))),
                statement("ReadPublicKey", signerRoleArns, List.of("kms:GetPublicKey"), null),
                statement("ManageThisGeneration", managerRoleArn, GENERATION_MANAGEMENT, null)));
        try {
            return JsonLines.JSON.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the key policy", e);
        }
    }

    private static Map<String, Object> statement(String sid, Object principals, Object actions, Map<String, Object> condition) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("AWS", principals));
        statement.put("Action", actions);
        statement.put("Resource", "*");
        if (condition != null) {
            statement.put("Condition", condition);
        }
        return statement;
    }
}
