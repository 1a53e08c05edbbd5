package dev.relaylink.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpecReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests a team applies (deploy/kubernetes): every object matches its published schema (the
 * CRD, or fabric8's typed model for built-in kinds), and agrees with the documented example spec
 * and with what relay-link writes, so that applying them and the example spec gives a working link.
 */
class DeployManifestsTest {
    private static final LinkSpec SPEC = LinkSpecReader.readResource("examples/link.yaml");
    private static final Path DEPLOY = deployFolder();

    private static Path deployFolder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/kubernetes"))) {
                return dir.resolve("deploy/kubernetes");
            }
        }
        throw new IllegalStateException("no deploy/kubernetes above " + Path.of("").toAbsolutePath());
    }

    /** Every Kubernetes object in the manifests (kustomization files and Helm values are not objects). */
    private static List<JsonNode> objects(String cluster) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve(cluster))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.equals("kustomization.yaml") && !name.endsWith("-values.yaml")) {
                    objects.addAll(CrdSchemas.documents(Files.readString(file)));
                }
            }
        }
        return objects;
    }

    private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void everyManifestMatchesThePublishedSchemaOfItsKind() throws IOException {
        List<String> errors = new ArrayList<>();
        int checked = 0;
        for (String cluster : List.of("eks", "aks")) {
            for (JsonNode object : objects(cluster)) {
                TypedKinds.errors(object).forEach(e -> errors.add(cluster + " " + object.path("kind").asText() + "/"
                        + object.path("metadata").path("name").asText() + ": " + e));
                checked++;
            }
        }
        assertThat(errors).isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(14);
    }

    @Test
    void aMisspelledFieldInAManifestFailsTheCheck() throws IOException {
        String gateway = Files.readString(DEPLOY.resolve("eks/gateway.yaml")).replace("certificateRefs:", "certificateRef:");
        assertThat(TypedKinds.errorsInYaml(gateway)).anySatisfy(e -> assertThat(e).contains("certificateRef"));
        String workload = Files.readString(DEPLOY.resolve("aks/example-workload.yaml")).replace("mountPath:", "mountPth:");
        assertThat(TypedKinds.errorsInYaml(workload)).anySatisfy(e -> assertThat(e).contains("mountPth: unknown field"));
    }

    @Test
    void theGatewayIsTheOneTheSpecNamesAndThePolicyTargets() throws IOException {
        List<JsonNode> eks = objects("eks");
        LinkSpec.Relay relay = SPEC.relay();
        JsonNode gateway = named(eks, "Gateway", relay.gateway());
        assertThat(gateway.path("spec").path("listeners")).singleElement().satisfies(listener -> {
            assertThat(listener.path("name").asText()).isEqualTo(relay.listener());
            assertThat(listener.path("port").asInt()).isEqualTo(relay.port());
            assertThat(listener.path("protocol").asText()).isEqualTo("HTTPS");
            assertThat(listener.path("hostname").asText()).isEqualTo(relay.hostName());
            assertThat(listener.path("tls").path("mode").asText()).isEqualTo("Terminate");
            assertThat(listener.path("tls").path("certificateRefs")).singleElement()
                    .satisfies(ref -> assertThat(ref.path("name").asText()).isEqualTo(relay.tlsSecret()));
        });
        JsonNode route = named(eks, "HTTPRoute", "relay");
        assertThat(route.path("spec").path("parentRefs").get(0).path("name").asText()).isEqualTo(relay.gateway());
        assertThat(route.path("spec").path("rules").get(0).path("backendRefs").get(0).path("name").asText()).isEqualTo("relay");

        JsonNode proxy = ofKind(eks, "EnvoyProxy").getFirst().path("spec").path("provider").path("kubernetes");
        assertThat(proxy.path("envoyService").path("name").asText()).isEqualTo(relay.gatewayService());
        assertThat(proxy.path("envoyService").path("type").asText()).isEqualTo("ClusterIP");
        assertThat(proxy.path("envoyDeployment").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(proxy.path("envoyPDB").path("minAvailable").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode gatewayClass = named(eks, "GatewayClass", gateway.path("spec").path("gatewayClassName").asText());
        assertThat(gatewayClass.path("spec").path("parametersRef").path("name").asText())
                .isEqualTo(ofKind(eks, "EnvoyProxy").getFirst().path("metadata").path("name").asText());
        assertThat(Files.readString(DEPLOY.resolve("eks/envoy-gateway-values.yaml"))).contains("type: GatewayNamespace");
    }

    @Test
    void eachEksFunctionGroupGetsOnlyTheObjectsItsFunctionTouches() throws IOException {
        List<JsonNode> eks = objects("eks");
        LinkSpec.Relay relay = SPEC.relay();
        Set<String> secrets = Set.of(relay.tlsSecret(), relay.clientCaSecret(), relay.crlSecret());
        for (JsonNode binding : ofKind(eks, "RoleBinding")) {
            String group = binding.path("subjects").get(0).path("name").asText();
            assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(group);
            JsonNode role = named(eks, "Role", group);
            Set<String> named = new TreeSet<>();
            for (JsonNode rule : role.path("rules")) {
                rule.path("resourceNames").forEach(n -> named.add(n.asText()));
                assertThat(rule.path("verbs").toString()).doesNotContain("delete").doesNotContain("*").doesNotContain("patch");
                if (rule.path("resourceNames").isEmpty()) {
                    // Only create and list go without names: RBAC cannot narrow them by name.
                    assertThat(rule.path("verbs")).allSatisfy(v -> assertThat(v.asText()).isIn("create", "list"));
                }
            }
            if (group.equals("relay-link-load-balancer")) {
                assertThat(role.toString()).doesNotContain("secrets").doesNotContain("clienttrafficpolicies");
                assertThat(named).containsExactly(relay.gatewayService());
            } else {
                assertThat(named).containsAll(secrets).contains(relay.clientTrafficPolicy());
            }
        }
        assertThat(ofKind(eks, "RoleBinding")).extracting(b -> b.path("subjects").get(0).path("name").asText())
                .containsExactlyInAnyOrder("relay-link-load-balancer", "relay-link-server-rotation", "relay-link-reconcile");
    }

    @Test
    void theLoadBalancerAndReconcileGroupsMayWriteOnlyTheLinksTargetGroupBinding() throws IOException {
        List<JsonNode> eks = objects("eks");
        for (String group : List.of("relay-link-load-balancer", "relay-link-reconcile")) {
            List<JsonNode> rules = new ArrayList<>();
            named(eks, "Role", group).path("rules").forEach(rule -> {
                if (rule.path("resources").toString().contains("targetgroupbindings")) {
                    rules.add(rule);
                }
            });
            assertThat(rules).as(group).hasSize(2).allSatisfy(rule -> {
                assertThat(rule.path("apiGroups").toString()).isEqualTo("[\"elbv2.k8s.aws\"]");
                assertThat(rule.path("resources").toString()).isEqualTo("[\"targetgroupbindings\"]");
            });
            assertThat(rules).anySatisfy(rule -> {
                assertThat(rule.path("resourceNames").toString()).isEqualTo("[\"" + SPEC.targetGroupBindingName() + "\"]");
                assertThat(rule.path("verbs").toString()).isEqualTo("[\"get\",\"update\"]");
            }).anySatisfy(rule -> assertThat(rule.path("verbs").toString()).isEqualTo("[\"create\"]"));
        }
        assertThat(named(eks, "Role", "relay-link-server-rotation").toString()).doesNotContain("targetgroupbindings");
    }

    @Test
    void kustomizeRendersTheRelayNamespaceWithPodReadinessGates() throws Exception {
        boolean kubectl = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
        org.junit.jupiter.api.Assumptions.assumeTrue(kubectl, "kubectl is not installed: scripts/test says so and skips rendering");
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", DEPLOY.resolve("eks").toString()).redirectErrorStream(true).start();
        String rendered = new String(kustomize.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(kustomize.waitFor()).as(rendered).isZero();
        JsonNode namespace = CrdSchemas.documents(rendered).stream().filter(o -> o.path("kind").asText().equals("Namespace")).findFirst().orElseThrow();
        assertThat(namespace.path("metadata").path("name").asText()).isEqualTo(SPEC.relay().namespace());
        assertThat(namespace.path("metadata").path("labels").path("elbv2.k8s.aws/pod-readiness-gate-inject").asText()).isEqualTo("enabled");
    }

    @Test
    void theAzureIdentityMayTouchOnlyEachWorkloadsSecretAndPolicyAndTheExampleMountsItWithoutSubPath() throws IOException {
        List<JsonNode> aks = objects("aks");
        for (LinkSpec.Workload workload : SPEC.workloads()) {
            JsonNode role = ofKind(aks, "Role").stream().filter(r -> r.path("metadata").path("namespace").asText().equals(workload.namespace()))
                    .findFirst().orElseThrow();
            Set<String> named = new TreeSet<>();
            role.path("rules").forEach(rule -> rule.path("resourceNames").forEach(n -> named.add(n.asText())));
            assertThat(named).containsExactlyInAnyOrder(workload.secretName(), workload.networkPolicyName());
        }
        LinkSpec.Workload example = SPEC.workloads().getFirst();
        JsonNode pod = named(aks, "Deployment", example.serviceAccount()).path("spec").path("template");
        example.podSelector().forEach((label, value) -> assertThat(pod.path("metadata").path("labels").path(label).asText()).isEqualTo(value));
        assertThat(pod.path("spec").path("serviceAccountName").asText()).isEqualTo(example.serviceAccount());
        assertThat(pod.path("spec").path("volumes").get(0).path("secret").path("secretName").asText()).isEqualTo(example.secretName());
        assertThat(pod.toString()).doesNotContain("subPath");
    }
}
