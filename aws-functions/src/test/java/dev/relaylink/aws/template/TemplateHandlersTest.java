package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.aws.handler.EndpointServiceDriftHandler;
import dev.relaylink.aws.handler.LoadBalancerDriftHandler;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpecReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What Lambda will do with template.yaml's functions: load the named handler class from the zip
 * and layers that `mvn package` builds, call its handleRequest, and send failures to a dead-letter queue
 * someone is alarmed about.
 */
class TemplateHandlersTest {
    private static final String HANDLER_PACKAGE = "dev.relaylink.aws.handler.";

    private final CloudFormationTemplate template = CloudFormationTemplate.ofRepository();
    private final Map<String, JsonNode> functions = template.resources("AWS::Serverless::Function");

    @Test
    void theAgreedHandlersAreDeployed() {
        Set<String> handlers = new TreeSet<>();
        functions.values().forEach(f -> handlers.add(template.functionProperty(f, "Handler").asText()));
        assertThat(handlers).containsExactlyInAnyOrder(
                HANDLER_PACKAGE + "EndpointConnectionHandler::handleRequest",
                HANDLER_PACKAGE + "EndpointServiceDriftHandler::handleRequest",
                HANDLER_PACKAGE + "LoadBalancerDriftHandler::handleRequest",
                HANDLER_PACKAGE + "ServerCertificateRotationHandler::handleRequest",
                HANDLER_PACKAGE + "ReconcileHandler::handleRequest",
                HANDLER_PACKAGE + "ClusterChangeHandler::handleRequest");
    }

    @Test
    void everyHandlerNamesAStreamHandlerMethodThatExists() throws Exception {
        for (Map.Entry<String, JsonNode> function : functions.entrySet()) {
            String handler = template.functionProperty(function.getValue(), "Handler").asText();
            assertThat(handler).as(function.getKey()).matches("[\\w.$]+::\\w+");
            String className = handler.substring(0, handler.indexOf("::"));
            String methodName = handler.substring(handler.indexOf("::") + 2);

            // Not initialised: the handlers build their AWS clients in static init, which needs Lambda's environment.
            Class<?> type = Class.forName(className, false, getClass().getClassLoader());
            assertThat(RequestStreamHandler.class).as(className).isAssignableFrom(type);
            assertThat(Modifier.isAbstract(type.getModifiers())).as(className + " is abstract").isFalse();
            assertThat(type.getConstructor()).as(className + " needs a public no-argument constructor for Lambda").isNotNull();
            Method method = type.getMethod(methodName, InputStream.class, OutputStream.class, Context.class);
            assertThat(Modifier.isPublic(method.getModifiers())).isTrue();
        }
    }

    @Test
    void everyFunctionRunsFromTheZipsMavenBuilds() {
        LambdaPackage built = LambdaPackage.built();
        Path root = CloudFormationTemplate.repositoryRoot();
        Map<String, JsonNode> layers = template.resources("AWS::Serverless::LayerVersion");
        for (Map.Entry<String, JsonNode> function : functions.entrySet()) {
            JsonNode codeUri = template.functionProperty(function.getValue(), "CodeUri");
            assertThat(codeUri.isTextual()).as(function.getKey() + " CodeUri").isTrue();
            assertThat(Path.of(codeUri.asText()).normalize()).as(function.getKey() + " CodeUri").isEqualTo(root.relativize(built.function()));
            assertThat(template.functionProperty(function.getValue(), "Runtime").asText()).isEqualTo("java21");

            // its layers are exactly the ones Maven builds, in that order, each for this runtime and architecture
            List<Path> contentUris = new ArrayList<>();
            template.functionProperty(function.getValue(), "Layers").forEach(ref -> {
                JsonNode layer = layers.get(ref.path("Ref").asText());
                assertThat(layer).as(function.getKey() + " layer " + ref).isNotNull();
                JsonNode properties = layer.path("Properties");
                contentUris.add(Path.of(properties.path("ContentUri").asText()).normalize());
                assertThat(properties.path("CompatibleRuntimes")).as(ref + " runtimes").extracting(JsonNode::asText).contains("java21");
                assertThat(properties.path("CompatibleArchitectures")).as(ref + " architectures").extracting(JsonNode::asText)
                        .containsAll(texts(template.functionProperty(function.getValue(), "Architectures")));
                assertThat(properties.path("RetentionPolicy").asText()).as(ref + " retention").isIn("Delete", "Retain");
            });
            assertThat(contentUris).as(function.getKey() + " layers")
                    .containsExactlyElementsOf(built.layers().stream().map(root::relativize).toList());
        }
    }

    @Test
    void everyFunctionHasItsOwnDeadLetterQueueWithAnAlarmOnItsDepth() {
        Map<String, JsonNode> queues = template.resources("AWS::SQS::Queue");
        Map<String, JsonNode> alarms = template.resources("AWS::CloudWatch::Alarm");
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, JsonNode> function : functions.entrySet()) {
            JsonNode dlq = template.functionProperty(function.getValue(), "DeadLetterQueue");
            assertThat(dlq.path("Type").asText()).as(function.getKey()).isEqualTo("SQS");
            String queue = dlq.path("TargetArn").path("Fn::GetAtt").path(0).asText();
            assertThat(queues).as(function.getKey() + " dead-letter queue").containsKey(queue);
            assertThat(used.add(queue)).as(queue + " is shared").isTrue();

            boolean alarmed = alarms.values().stream().map(a -> a.path("Properties")).anyMatch(a ->
                    a.path("Namespace").asText().equals("AWS/SQS")
                            && a.path("MetricName").asText().equals("ApproximateNumberOfMessagesVisible")
                            && a.path("ComparisonOperator").asText().equals("GreaterThanThreshold")
                            && a.path("Threshold").asDouble(-1) == 0
                            && a.path("Dimensions").path(0).path("Value").path("Fn::GetAtt").path(0).asText().equals(queue)
                            && a.path("AlarmActions").size() > 0);
            assertThat(alarmed).as("an alarm on the depth of " + queue).isTrue();
        }
    }

    @Test
    void secretsManagerRotatesTheServerCertificateWithTheRotationFunction() {
        JsonNode schedule = template.resources("AWS::SecretsManager::RotationSchedule").values().iterator().next().path("Properties");
        assertThat(schedule.path("SecretId").path("Ref").asText()).isEqualTo("ServerCertificateSecret");
        // the alias (SnapStart restores published versions only; SnapStartTest checks every invoker)
        assertThat(schedule.path("RotationLambdaARN").path("Ref").asText()).isEqualTo("ServerCertificateRotationFunction.Alias");
        assertThat(template.functionProperty(functions.get("ServerCertificateRotationFunction"), "Handler").asText())
                .isEqualTo(HANDLER_PACKAGE + "ServerCertificateRotationHandler::handleRequest");

        boolean invokable = template.resources("AWS::Lambda::Permission").values().stream().map(p -> p.path("Properties")).anyMatch(p ->
                p.path("Principal").asText().equals("secretsmanager.amazonaws.com")
                        && p.path("FunctionName").path("Ref").asText().equals("ServerCertificateRotationFunction.Alias")
                        && p.path("SourceArn").path("Ref").asText().equals("ServerCertificateSecret"));
        assertThat(invokable).as("Secrets Manager may invoke the rotation function for this secret only").isTrue();
    }

    @Test
    void thePatternsListExactlyTheCallsTheHandlersActOn() {
        Map<String, JsonNode> patterns = EventPatternTest.patternsOf(template);
        assertThat(eventNames(patterns.get("EndpointServiceDriftFunction/EndpointServiceChanged")))
                .isEqualTo(new TreeSet<>(EndpointServiceDriftHandler.CALLS));
        assertThat(eventNames(patterns.get("LoadBalancerDriftFunction/LoadBalancerChanged")))
                .isEqualTo(new TreeSet<>(LoadBalancerDriftHandler.ELB_CALLS));
        assertThat(eventNames(patterns.get("LoadBalancerDriftFunction/SecurityGroupChanged")))
                .isEqualTo(new TreeSet<>(LoadBalancerDriftHandler.SECURITY_GROUP_CALLS));
    }

    @Test
    void theEnvironmentSetsWhatTheFunctionsRead() {
        Set<String> set = new TreeSet<>();
        template.globals().path("Environment").path("Variables").fieldNames().forEachRemaining(set::add);
        assertThat(set).containsExactlyInAnyOrder("RELAY_LINK_SPEC", AwsFunctions.TABLE_VARIABLE, AwsFunctions.EKS_ENDPOINT_VARIABLE,
                AwsFunctions.EKS_CA_VARIABLE, AwsFunctions.GATEWAY_ADDRESS_VARIABLE, AwsFunctions.ENDPOINT_SERVICE_ID_VARIABLE,
                AwsFunctions.CLIENT_CA_SECRET_VARIABLE, AwsFunctions.FUNCTION_TIMEOUT_VARIABLE, dev.relaylink.aws.adapter.ServerCaKeyPolicy.ADMIN_VARIABLE,
                dev.relaylink.aws.adapter.ServerCaKeyPolicy.SIGNERS_VARIABLE, dev.relaylink.aws.adapter.ServerCaKeyPolicy.MANAGER_VARIABLE);
        functions.forEach((name, function) -> {
            // SAM merges a function's variables into the Globals ones; a function sets only its own timeout.
            JsonNode own = function.path("Properties").path("Environment").path("Variables");
            Set<String> ownNames = new TreeSet<>();
            own.fieldNames().forEachRemaining(ownNames::add);
            assertThat(ownNames).as(name + "'s own variables").isSubsetOf(AwsFunctions.FUNCTION_TIMEOUT_VARIABLE);
        });
    }

    /** Event claims expire after the function's timeout: the variable the code reads is the function's Timeout. */
    @Test
    void eachFunctionKnowsItsOwnTimeout() {
        functions.forEach((name, function) -> {
            JsonNode own = function.path("Properties").path("Environment").path("Variables").path(AwsFunctions.FUNCTION_TIMEOUT_VARIABLE);
            JsonNode variable = own.isMissingNode()
                    ? template.globals().path("Environment").path("Variables").path(AwsFunctions.FUNCTION_TIMEOUT_VARIABLE) : own;
            assertThat(variable.asText()).as(name + " " + AwsFunctions.FUNCTION_TIMEOUT_VARIABLE)
                    .isEqualTo(template.functionProperty(function, "Timeout").asText());
        });
    }

    /** The spec the functions read is the example spec, with the stack's own secret and key in the AWS half. */
    @Test
    void theTemplatesLinkSpecIsTheSharedSpecWithTheStacksResources() {
        JsonNode variable = ExampleDeployment.of(template).resolve(template.globals().path("Environment").path("Variables").path("RELAY_LINK_SPEC"));
        LinkSpec deployed = LinkSpecReader.read(variable.asText());
        LinkSpec example = LinkSpecReader.read(CloudFormationTemplate.repositoryRoot().resolve("examples/link.yaml"));

        assertThat(deployed.aws().serverCertSecretId()).isEqualTo(example.name() + "/server-tls");
        assertThat(deployed.aws().serverCaKeyId()).isEqualTo("alias/" + example.name() + "-server-ca");
        LinkSpec.Aws exampleWithStackResources = new LinkSpec.Aws(example.aws().region(), example.aws().accountId(),
                example.aws().endpointService(), example.aws().nlb(), deployed.aws().serverCertSecretId(),
                deployed.aws().serverCaKeyId(), example.aws().eksCluster());
        assertThat(deployed).isEqualTo(new LinkSpec(example.name(), example.relay(), exampleWithStackResources, example.azure(),
                example.workloads(), example.certificates(), example.trustDomain()));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        assertThat(texts).as("a function's architectures").isNotEmpty();
        return texts;
    }

    private static Set<String> eventNames(JsonNode pattern) {
        Set<String> names = new TreeSet<>();
        collectEventNames(pattern, names);
        return names;
    }

    private static void collectEventNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("eventName")) {
                    e.getValue().forEach(n -> names.add(n.asText()));
                } else {
                    collectEventNames(e.getValue(), names);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectEventNames(n, names));
        }
    }
}
