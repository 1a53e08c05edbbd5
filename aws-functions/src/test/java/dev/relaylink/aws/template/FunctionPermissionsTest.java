package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.aws.testing.FunctionOperations;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Permissions that suffice and no more. Every AWS operation each function's handler made during the
 * test run (recorded by an SDK interceptor on every client, the EC2 stub's included; see
 * {@link FunctionOperations}) must be allowed to that function's role by template.yaml (its managed
 * and inline policies and the KMS key policies naming it), and the role must allow nothing beyond
 * those calls and what Lambda itself does with the role (logs, the dead-letter queue, VPC network
 * interfaces). The emulator does not enforce IAM by default, so this is where a missing grant shows.
 * Runs under failsafe, after the handler tests wrote the record.
 */
class FunctionPermissionsTest {
    // What Lambda does with a function's execution role, not the function's code.
    private static final Set<String> LOGS = Set.of("logs:CreateLogStream", "logs:PutLogEvents");
    private static final String DEAD_LETTER = "sqs:SendMessage";
    private static final Set<String> VPC_NETWORK_INTERFACES = Set.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");

    // Actions IAM also checks when a call is made: tags given at creation are authorized as ec2:CreateTags (TagSpecifications)
    // and as kms:TagResource (CreateKey's Tags).
    private static final Map<String, String> IMPLIED = Map.of("ec2:CreateVpcEndpointServiceConfiguration", "ec2:CreateTags",
            "kms:CreateKey", "kms:TagResource");

    private static CloudFormationTemplate template;
    private static Map<String, Set<String>> used;

    @BeforeAll
    static void read() throws IOException {
        template = CloudFormationTemplate.ofRepository();
        assertThat(Files.exists(FunctionOperations.file()))
                .as("%s is written by the handler tests (mvn verify runs them first)", FunctionOperations.file()).isTrue();
        used = FunctionOperations.read();
        StringBuilder table = new StringBuilder("AWS operations per function, from the handler tests:\n");
        used.forEach((handler, actions) -> table.append(String.format("  %-34s %s%n", handler, String.join(", ", actions))));
        System.out.print(table);
    }

    @Test
    void everyCallAFunctionMakesIsGrantedToItsRole() {
        List<String> missing = new ArrayList<>();
        functions().forEach((handler, function) -> {
            Set<String> granted = granted(roleOf(function));
            Set<String> needed = new TreeSet<>(used.getOrDefault(handler, Set.of()));
            needed.stream().filter(IMPLIED::containsKey).map(IMPLIED::get).toList().forEach(needed::add);
            for (String action : needed) {
                if (granted.stream().noneMatch(g -> matches(g, action))) {
                    missing.add(handler + " calls " + action + " but role " + roleOf(function) + " is not granted it");
                }
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void noRoleGrantsAnActionItsFunctionNeverCalls() {
        List<String> unused = new ArrayList<>();
        functions().forEach((handler, function) -> {
            Set<String> calls = new TreeSet<>(used.getOrDefault(handler, Set.of()));
            used.getOrDefault(handler, Set.of()).stream().filter(IMPLIED::containsKey).map(IMPLIED::get).forEach(calls::add);
            calls.addAll(platformActions(function));
            for (String grant : granted(roleOf(function))) {
                if (calls.stream().noneMatch(c -> matches(grant, c))) {
                    unused.add("role " + roleOf(function) + " of " + handler + " grants " + grant + ", which it never calls");
                }
            }
        });
        assertThat(unused).isEmpty();
    }

    @Test
    void everyFunctionOfTheTemplateRanInTheHandlerTests() {
        assertThat(used.keySet()).as("handlers with recorded AWS calls").containsAll(functions().keySet());
        assertThat(functions().keySet()).as("recorded handlers are functions of the template").containsAll(used.keySet());
    }

    /** Handler class simple name -> the function resource. */
    private static Map<String, JsonNode> functions() {
        Map<String, JsonNode> byHandler = new TreeMap<>();
        template.resources("AWS::Serverless::Function").values().forEach(f -> {
            String handler = f.path("Properties").path("Handler").asText();
            String className = handler.substring(0, handler.indexOf("::"));
            byHandler.put(className.substring(className.lastIndexOf('.') + 1), f);
        });
        return byHandler;
    }

    private static String roleOf(JsonNode function) {
        JsonNode role = function.path("Properties").path("Role").path("Fn::GetAtt");
        assertThat(role.isArray()).as("every function names its own role with !GetAtt <Role>.Arn").isTrue();
        return role.get(0).asText();
    }

    private static Set<String> platformActions(JsonNode function) {
        Set<String> actions = new TreeSet<>(LOGS);
        if (!function.path("Properties").path("DeadLetterQueue").isMissingNode()) {
            actions.add(DEAD_LETTER);
        }
        if (!function.path("Properties").path("VpcConfig").isMissingNode()) {
            actions.addAll(VPC_NETWORK_INTERFACES);
        }
        return actions;
    }

    /** Every action an Allow statement gives the role: its managed and inline policies, and key policies that name it. */
    static Set<String> granted(String roleId) {
        JsonNode role = template.root().path("Resources").path(roleId);
        List<JsonNode> statements = new ArrayList<>();
        role.path("Properties").path("ManagedPolicyArns").forEach(ref -> {
            JsonNode policy = template.root().path("Resources").path(ref.path("Ref").asText());
            assertThat(policy.path("Type").asText()).as("managed policy %s of %s", ref, roleId).isEqualTo("AWS::IAM::ManagedPolicy");
            policy.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add);
        });
        role.path("Properties").path("Policies").forEach(p -> p.path("PolicyDocument").path("Statement").forEach(statements::add));
        template.resources("AWS::KMS::Key").values().forEach(key -> key.path("Properties").path("KeyPolicy").path("Statement")
                .forEach(s -> {
                    if (names(s.path("Principal").path("AWS"), roleId)) {
                        statements.add(s);
                    }
                }));
        return statements.stream().filter(s -> s.path("Effect").asText().equals("Allow"))
                .flatMap(s -> s.path("Action").isArray() ? toList(s.path("Action")).stream() : Set.of(s.path("Action").asText()).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean names(JsonNode principal, String roleId) {
        if (principal.isArray()) {
            for (JsonNode p : principal) {
                if (names(p, roleId)) {
                    return true;
                }
            }
            return false;
        }
        JsonNode getAtt = principal.path("Fn::GetAtt");
        return getAtt.isArray() && getAtt.get(0).asText().equals(roleId);
    }

    private static List<String> toList(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** IAM's action match: exact (case-insensitive, as IAM compares) or a trailing wildcard. */
    static boolean matches(String grant, String action) {
        String g = grant.toLowerCase();
        String a = action.toLowerCase();
        return g.endsWith("*") ? a.startsWith(g.substring(0, g.length() - 1)) : g.equals(a);
    }
}
