package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FixedDelayRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.relaylink.audit.JsonLines;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs after {@code package} (failsafe, in {@code mvn verify}): the function app staging folder the
 * azure-functions maven plugin generated must declare exactly the functions, triggers, schedules
 * and retry policies that the annotations in the code declare, and carry the repository's host.json.
 */
class FunctionJsonTest {
    private static Path staging;
    private static Map<String, Method> declared;

    @BeforeAll
    static void locate() throws Exception {
        staging = Path.of(System.getProperty("relaylink.functions.staging", "target/azure-functions/relay-link-functions"));
        assertThat(staging).as("the staging folder written by azure-functions:package").isDirectory();
        declared = declaredFunctions();
    }

    @Test
    void oneFunctionFolderPerAnnotatedMethod() throws IOException {
        List<String> folders;
        try (Stream<Path> entries = Files.list(staging)) {
            folders = entries.filter(p -> Files.isRegularFile(p.resolve("function.json"))).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(declared.keySet()).containsExactlyInAnyOrder("PrivateEndpointApproval", "ClientCertificateRotation", "Reconcile", "ClusterChange");
        assertThat(folders).containsExactlyElementsOf(declared.keySet());
    }

    @Test
    void eachFunctionJsonMatchesItsAnnotations() throws IOException {
        for (Map.Entry<String, Method> function : declared.entrySet()) {
            Method method = function.getValue();
            JsonNode json = JsonLines.JSON.readTree(staging.resolve(function.getKey()).resolve("function.json").toFile());

            assertThat(json.path("entryPoint").asText()).as(function.getKey() + " entryPoint")
                    .isEqualTo(method.getDeclaringClass().getName() + "." + method.getName());
            Path scriptFile = staging.resolve(function.getKey()).resolve(json.path("scriptFile").asText()).normalize();
            assertThat(scriptFile).as(function.getKey() + " scriptFile").isRegularFile();

            assertThat(json.path("bindings")).as(function.getKey() + " bindings").isEqualTo(expectedBindings(method));
            assertThat(json.path("retry")).as(function.getKey() + " retry").isEqualTo(expectedRetry(method));
        }
    }

    /** The AKS audit log arrives through the Event Hub the deployment names in app settings (identity-based connection). */
    @Test
    void theClusterChangeFunctionReadsTheAksAuditEventHubInBatches() throws IOException {
        JsonNode binding = JsonLines.JSON.readTree(staging.resolve("ClusterChange").resolve("function.json").toFile()).path("bindings").get(0);
        assertThat(binding.path("type").asText()).isEqualTo("eventHubTrigger");
        assertThat(binding.path("eventHubName").asText()).isEqualTo("%AKS_AUDIT_EVENT_HUB%");
        assertThat(binding.path("connection").asText()).isEqualTo("AksAuditEventHub");
        assertThat(binding.path("cardinality").asText()).isEqualTo("MANY");
        assertThat(binding.path("dataType").asText()).isEqualTo("string");
        assertThat(triggerParameter(declared.get("ClusterChange")).getType()).isEqualTo(String[].class);
    }

    @Test
    void theEventFunctionsTakeTheRawEventAsAString() {
        // The functions check size and shape themselves; a POJO binding would parse before they could.
        for (String name : List.of("PrivateEndpointApproval", "ClientCertificateRotation")) {
            Parameter trigger = triggerParameter(declared.get(name));
            assertThat(trigger.getType()).isEqualTo(String.class);
            assertThat(trigger.getAnnotation(EventGridTrigger.class).dataType()).isEqualTo("string");
        }
        assertThat(declared.get("Reconcile").getAnnotation(ExponentialBackoffRetry.class)).isNotNull();
    }

    @Test
    void theStagedHostJsonIsTheRepositoryOne() throws IOException {
        Path root = Path.of(System.getProperty("relaylink.hostJson", "../host.json"));
        JsonNode staged = JsonLines.JSON.readTree(staging.resolve("host.json").toFile());
        assertThat(staged).isEqualTo(JsonLines.JSON.readTree(root.toFile()));
        assertThat(staged.path("version").asText()).isEqualTo("2.0");
        assertThat(staged.path("extensionBundle").path("id").asText()).isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
        assertThat(staged.path("extensionBundle").path("version").asText()).isEqualTo("[4.*, 5.0.0)");
        // Event claims expire after the run's longest life: the code's timeout is host.json's.
        assertThat(java.time.Duration.parse("PT" + staged.path("functionTimeout").asText().replaceFirst("(\\d+):(\\d+):(\\d+)", "$1H$2M$3S")))
                .isEqualTo(AzureSettings.FUNCTION_TIMEOUT);
    }

    @Test
    void thePackageCarriesOneHttpClientPerSdkAndALogBinding() throws IOException {
        List<String> jars;
        try (Stream<Path> lib = Files.list(staging.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
        }
        // The JDK HttpClient serves the Azure SDK and fabric8 (docs/design.md, Budgets): no Netty, OkHttp, Vert.x or Apache client.
        assertThat(jars).noneMatch(j -> j.startsWith("netty-") || j.startsWith("reactor-netty") || j.startsWith("okhttp")
                || j.startsWith("vertx-") || j.startsWith("httpclient") || j.startsWith("httpcore") || j.startsWith("azure-core-http-netty")
                || j.startsWith("azure-core-http-okhttp") || j.startsWith("kubernetes-httpclient-vertx"));
        assertThat(jars).anyMatch(j -> j.startsWith("azure-core-http-jdk-httpclient-"))
                .anyMatch(j -> j.startsWith("kubernetes-httpclient-jdk-"))
                .anyMatch(j -> j.startsWith("relay-link-shared-"))
                .anyMatch(j -> j.startsWith("slf4j-simple-"));
    }

    // --- what the code declares ---

    private static Map<String, Method> declaredFunctions() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ReconcileFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String pkg = ReconcileFunction.class.getPackageName();
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(classes)) {
            try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class")).forEach(names::add);
            }
        } else {
            try (var jar = new java.util.jar.JarFile(classes.toFile())) {
                String prefix = pkg.replace('.', '/') + "/";
                jar.stream().map(java.util.jar.JarEntry::getName)
                        .filter(n -> n.startsWith(prefix) && n.endsWith(".class") && n.indexOf('/', prefix.length()) < 0)
                        .map(n -> n.substring(prefix.length())).forEach(names::add);
            }
        }
        Map<String, Method> functions = new TreeMap<>();
        for (String file : names) {
            // Loaded without initialising: finding annotations must not build the link.
            Class<?> type = Class.forName(pkg + "." + file.substring(0, file.length() - ".class".length()), false,
                    FunctionJsonTest.class.getClassLoader());
            for (Method method : type.getDeclaredMethods()) {
                FunctionName name = method.getAnnotation(FunctionName.class);
                if (name != null) {
                    assertThat(functions.put(name.value(), method)).as("function name " + name.value() + " used twice").isNull();
                }
            }
        }
        return functions;
    }

    private static Parameter triggerParameter(Method method) {
        List<Parameter> triggers = Stream.of(method.getParameters())
                .filter(p -> p.isAnnotationPresent(EventGridTrigger.class) || p.isAnnotationPresent(TimerTrigger.class)
                        || p.isAnnotationPresent(EventHubTrigger.class)).toList();
        assertThat(triggers).as(method + " has one trigger").hasSize(1);
        return triggers.get(0);
    }

    private static ArrayNode expectedBindings(Method method) {
        ArrayNode bindings = JsonLines.JSON.createArrayNode();
        Parameter parameter = triggerParameter(method);
        ObjectNode binding = bindings.addObject();
        Annotation trigger = parameter.isAnnotationPresent(EventGridTrigger.class) ? parameter.getAnnotation(EventGridTrigger.class)
                : parameter.isAnnotationPresent(EventHubTrigger.class) ? parameter.getAnnotation(EventHubTrigger.class)
                : parameter.getAnnotation(TimerTrigger.class);
        if (trigger instanceof EventGridTrigger eventGrid) {
            binding.put("type", "eventGridTrigger").put("direction", "in").put("name", eventGrid.name());
            if (!eventGrid.dataType().isEmpty()) {
                binding.put("dataType", eventGrid.dataType());
            }
        } else if (trigger instanceof EventHubTrigger eventHub) {
            binding.put("type", "eventHubTrigger").put("direction", "in").put("name", eventHub.name());
            if (!eventHub.dataType().isEmpty()) {
                binding.put("dataType", eventHub.dataType());
            }
            binding.put("connection", eventHub.connection()).put("eventHubName", eventHub.eventHubName())
                    .put("cardinality", eventHub.cardinality().name());
        } else if (trigger instanceof TimerTrigger timer) {
            binding.put("type", "timerTrigger").put("direction", "in").put("name", timer.name());
            if (!timer.dataType().isEmpty()) {
                binding.put("dataType", timer.dataType());
            }
            binding.put("schedule", timer.schedule());
        }
        return bindings;
    }

    private static JsonNode expectedRetry(Method method) {
        ExponentialBackoffRetry backoff = method.getAnnotation(ExponentialBackoffRetry.class);
        FixedDelayRetry fixed = method.getAnnotation(FixedDelayRetry.class);
        if (backoff != null) {
            return JsonLines.JSON.createObjectNode().put("strategy", backoff.strategy()).put("maxRetryCount", backoff.maxRetryCount())
                    .put("minimumInterval", backoff.minimumInterval()).put("maximumInterval", backoff.maximumInterval());
        }
        if (fixed != null) {
            return JsonLines.JSON.createObjectNode().put("strategy", fixed.strategy()).put("maxRetryCount", fixed.maxRetryCount())
                    .put("delayInterval", fixed.delayInterval());
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
