package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.security.keyvault.keys.models.CreateEcKeyOptions;
import com.azure.security.keyvault.keys.models.KeyCurveName;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.azure.deploy.AzureTemplate;
import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.TestSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The roles of deploy/azure/relay-link.json against what the functions really call: the Azure half
 * runs its reconcile and an approval against the REST fake, every ARM and Key Vault request is
 * turned into the Azure RBAC operation it needs and the resource it is on, and each must be granted
 * by a role assignment of the template on that resource (sufficient), while every action of
 * relay-link's custom roles must be used by some request (least privilege). Table Storage, host
 * storage, telemetry and the Event Hub trigger use built-in data roles (docs/azure.md, Roles).
 */
class AzureRolesTest {
    private static final LinkSpec SPEC = AzureHarness.SPEC;
    /** The template's parameters for the example link, as a deployment of it would give them. */
    private static final Map<String, Object> PARAMETERS = Map.of(
            "keyVaultName", SPEC.azure().keyVault().name(),
            "clientCaKeyNames", List.of(SPEC.azure().keyVault().clientCaKey()),
            "workloadCertificateNames", SPEC.workloads().stream().map(LinkSpec.Workload::keyVaultCertificateName).toList(),
            "serverCaSecretName", AzureHarness.SERVER_CA_SECRET,
            "privateLinkServiceName", SPEC.azure().privateLinkService(),
            "privateDnsZoneName", SPEC.azure().privateDns().zone(),
            "storageAccountName", "relaylinkstate",
            "stateTableName", AzureSettings.DEFAULT_STATE_TABLE,
            "linkName", SPEC.name(),
            "functionAppName", "relay-link-functions");
    private static final Pattern VAULT_OBJECT = Pattern.compile("^/(keys|secrets|certificates)/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$");

    /** One operation on one resource: {@code scope} as a role assignment names it (relative to the resource group). */
    record Need(String action, String scope) {
    }

    private final AzureHarness azure = new AzureHarness();
    private final AzureTemplate template = AzureTemplate.read();

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void everyCallIsGrantedOnItsResourceAndEveryCustomActionIsUsed() {
        // What the template creates before the app runs: the client CA key (EC P-256, sign and verify).
        azure.clients.keys(azure.fake.vaultUrl()).createEcKey(new CreateEcKeyOptions(SPEC.azure().keyVault().clientCaKey())
                .setCurveName(KeyCurveName.P_256).setKeyOperations(KeyOperation.SIGN, KeyOperation.VERIFY));
        int from = azure.fake.requests().size();

        new ReconcileFunction(() -> azure.link).run(timer(), new TestContext(ReconcileFunction.NAME));
        String endpoint = azure.fake.arm().privateEndpoint(TestSpecs.SUBSCRIPTION, "relay-link-rg", "aks-relay-pe", TestSpecs.VNET, "10.240.0.7");
        azure.fake.arm().requestConnection(azure.privateLinkServiceId, Events.SAMPLE_CONNECTION, endpoint);
        new PrivateEndpointApprovalFunction(() -> azure.link).run(Events.text(Events.PEC_WRITE_EVENT_GRID), new TestContext(PrivateEndpointApprovalFunction.NAME));
        // A client CA generation turns over as the overlap protocol's steps call the store: the next CA on a new
        // version of the same key, then the old generation retired (its key version disabled).
        var clientCa = azure.link.ports().clientCa();
        var first = clientCa.certificates().get(0);
        var next = clientCa.create(dev.relaylink.plan.Planner.CLIENT_CA_NAME, java.time.Instant.now(), java.time.Duration.ofDays(365));
        clientCa.startIssuing(next.certificate());
        clientCa.retire(first);

        // Key Vault's first, unauthenticated request of each client only fetches the challenge.
        List<AzureFake.RecordedRequest> calls = azure.fake.requests().subList(from, azure.fake.requests().size()).stream()
                .filter(AzureFake.RecordedRequest::bearer).toList();
        assertThat(calls).as("the scenario ran").hasSizeGreaterThan(20).allMatch(r -> r.status() < 400 || r.status() == 404, "every call succeeded or found nothing");
        Set<Need> needs = new TreeSet<>(java.util.Comparator.comparing(Need::scope).thenComparing(Need::action));
        calls.forEach(r -> needs.add(need(r.method(), r.path().replaceAll("/$", ""))));

        Map<String, Set<String>> grants = grants();
        List<String> missing = new ArrayList<>();
        for (Need need : needs) {
            if (!grants.getOrDefault(need.scope(), Set.of()).contains(need.action())) {
                missing.add(need.action() + " on " + need.scope());
            }
        }
        assertThat(missing).as("calls no role assignment grants on their resource").isEmpty();

        Set<String> used = needs.stream().map(Need::action).collect(Collectors.toSet());
        assertThat(customActions()).as("custom role actions no call uses").allMatch(used::contains);
        // New key material only as a new version of the client CA key: never a key of another name.
        String clientCaKey = "/keys/" + SPEC.azure().keyVault().clientCaKey();
        assertThat(needs).filteredOn(n -> n.action().endsWith("keys/create/action") || n.action().endsWith("keys/update/action"))
                .as("key versions created and disabled").hasSize(2).allMatch(n -> n.scope().endsWith(clientCaKey));
    }

    @Test
    void noRoleIsAssignedWiderThanOneResourceButTheResourceGroupsEndpointReader() {
        for (JsonNode assignment : template.resources("Microsoft.Authorization/roleAssignments")) {
            String scope = assignment.path("scope").asText("");
            if (scope.isEmpty()) {
                assertThat(assignment.path("properties").path("roleDefinitionId").asText()).contains("private-endpoint-reader");
            } else {
                assertThat(scope).startsWith("[format('Microsoft.");
            }
            assertThat(assignment.path("properties").path("principalType").asText()).isEqualTo("ServicePrincipal");
        }
    }

    /** The RBAC operation an ARM or Key Vault request needs, and the scope it is checked on. */
    static Need need(String method, String path) {
        Matcher vault = VAULT_OBJECT.matcher(path);
        if (vault.matches()) {
            String collection = vault.group(1);
            String object = "Microsoft.KeyVault/vaults/" + PARAMETERS.get("keyVaultName") + "/" + collection + "/" + vault.group(2);
            String last = vault.group(4) != null ? vault.group(4) : vault.group(3);
            String action = switch (collection) {
                case "keys" -> "sign".equals(last) ? "keys/sign/action" : "create".equals(last) ? "keys/create/action"
                        : method.equals("PATCH") ? "keys/update/action" : "keys/read";
                case "secrets" -> method.equals("PUT") ? "secrets/setSecret/action" : "secrets/getSecret/action";
                default -> "import".equals(last) ? "certificates/import/action" : "certificates/read";
            };
            return new Need("Microsoft.KeyVault/vaults/" + action, object);
        }
        int providers = path.indexOf("/providers/");
        assertThat(providers).as("an ARM or Key Vault path: " + path).isPositive();
        String[] segments = path.substring(providers + "/providers/".length()).split("/");
        StringBuilder type = new StringBuilder(segments[0]);
        for (int i = 1; i < segments.length; i += 2) {
            type.append('/').append(segments[i]);
        }
        String verb = switch (method) {
            case "GET" -> "read";
            case "PUT", "PATCH" -> "write";
            case "DELETE" -> "delete";
            default -> segments[segments.length - 1] + "/action";
        };
        // The resource the request is on; a private endpoint and its network interface are read on their resource group.
        String resource = segments[0] + "/" + segments[1] + "/" + (segments.length > 2 ? segments[2] : "");
        String group = path.replaceAll("^/subscriptions/[^/]+/resourceGroups/([^/]+)/.*$", "$1");
        boolean endpoint = resource.startsWith("Microsoft.Network/privateEndpoints/") || resource.startsWith("Microsoft.Network/networkInterfaces/");
        String scope = !endpoint ? resource : group.equals(SPEC.azure().resourceGroup()) ? "" : "resource group " + group;
        return new Need(type + "/" + verb, scope);
    }

    /** Scope (as {@link Need#scope}) to the actions the template's assignments grant there, copy loops expanded. */
    private Map<String, Set<String>> grants() {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (JsonNode assignment : template.resources("Microsoft.Authorization/roleAssignments")) {
            Set<String> actions = actionsOf(assignment.path("properties").path("roleDefinitionId").asText());
            int count = assignment.has("copy") ? ((List<?>) PARAMETERS.get(copyArray(assignment))).size() : 1;
            for (int i = 0; i < count; i++) {
                String scope = assignment.has("scope") ? evaluate(assignment.path("scope").asText(), i) : "";
                grants.computeIfAbsent(scope, s -> new TreeSet<>()).addAll(actions);
            }
        }
        return grants;
    }

    private static String copyArray(JsonNode assignment) {
        Matcher m = Pattern.compile("length\\(parameters\\('(\\w+)'\\)\\)").matcher(assignment.path("copy").path("count").asText());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** The actions and data actions of a custom role of the template (built-in roles are not relay-link's to narrow). */
    private Set<String> actionsOf(String roleDefinitionId) {
        Matcher custom = Pattern.compile("guid\\(resourceGroup\\(\\)\\.id, '([\\w-]+)'\\)").matcher(roleDefinitionId);
        if (!custom.find()) {
            return Set.of();
        }
        JsonNode definition = template.resources("Microsoft.Authorization/roleDefinitions").stream()
                .filter(d -> name(d).equals("[guid(resourceGroup().id, '" + custom.group(1) + "')]")).findFirst().orElseThrow();
        Set<String> actions = new TreeSet<>();
        for (JsonNode permission : definition.path("properties").path("permissions")) {
            permission.path("actions").forEach(a -> actions.add(a.asText()));
            permission.path("dataActions").forEach(a -> actions.add(a.asText()));
            assertThat(permission.path("notActions")).isEmpty();
        }
        return actions;
    }

    private Set<String> customActions() {
        Set<String> actions = new TreeSet<>();
        for (JsonNode definition : template.resources("Microsoft.Authorization/roleDefinitions")) {
            for (JsonNode permission : definition.path("properties").path("permissions")) {
                permission.path("actions").forEach(a -> actions.add(a.asText()));
                permission.path("dataActions").forEach(a -> actions.add(a.asText()));
            }
        }
        assertThat(actions).noneMatch(a -> a.contains("*"));
        return actions;
    }

    /** A resource's name with the template's name variables resolved. */
    private String name(JsonNode resource) {
        String name = resource.path("name").asText();
        Matcher variable = Pattern.compile("^\\[variables\\('(\\w+)'\\)]$").matcher(name);
        return variable.matches() ? template.json().path("variables").path(variable.group(1)).asText() : name;
    }

    /** The one expression shape the assignments' scopes use: {@code [format('...', parameters('p'), parameters('a')[copyIndex()], ...)]}. */
    private String evaluate(String expression, int index) {
        Matcher format = Pattern.compile("^\\[format\\('([^']*)', (.*)\\)]$").matcher(expression);
        assertThat(format.matches()).as(expression).isTrue();
        List<String> values = new ArrayList<>();
        Matcher argument = Pattern.compile("(parameters|variables)\\('(\\w+)'\\)(\\[copyIndex\\(\\)])?").matcher(format.group(2));
        while (argument.find()) {
            Object value = argument.group(1).equals("parameters") ? PARAMETERS.get(argument.group(2))
                    : template.json().path("variables").path(argument.group(2)).asText();
            assertThat(value).as(argument.group()).isNotNull();
            values.add(String.valueOf(argument.group(3) != null ? ((List<?>) value).get(index) : value));
        }
        String scope = format.group(1);
        for (int i = 0; i < values.size(); i++) {
            scope = scope.replace("{" + i + "}", values.get(i));
        }
        return scope;
    }

    private static String timer() {
        return "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":{\"Last\":\"2026-11-25T06:45:00+00:00\","
                + "\"Next\":\"2026-11-25T07:00:00+00:00\",\"LastUpdated\":\"2026-11-25T06:45:00+00:00\"},\"IsPastDue\":false}";
    }
}
