package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SnapStart on every function, checked on what CloudFormation deploys: template.yaml through the
 * SAM transform (aws-sam-translator, offline, as cfn-lint runs it). A snapshot exists only for a
 * published version, so every function must publish one and every invoker (EventBridge rules, the
 * SNS subscription, the rotation schedule, each invoke permission) must name the alias: an
 * invoker of the unqualified function would run $LATEST, which always cold-starts.
 */
class SnapStartTest {
    private static Map<String, JsonNode> resources;

    @BeforeAll
    static void transform() throws IOException, InterruptedException, URISyntaxException {
        Path script = Path.of(SnapStartTest.class.getResource("/sam-translate.py").toURI());
        ProcessBuilder builder = new ProcessBuilder("python3", script.toString(), CloudFormationTemplate.ofRepository().file().toString());
        builder.environment().putIfAbsent("AWS_DEFAULT_REGION", "eu-west-1");
        Process process = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("the SAM transform of template.yaml (needs aws-sam-translator; scripts/test has it)").isZero();
        resources = new TreeMap<>();
        JsonLines.JSON.readTree(new String(out, StandardCharsets.UTF_8)).path("Resources").fields()
                .forEachRemaining(f -> resources.put(f.getKey(), f.getValue()));
    }

    @Test
    void everyFunctionSnapshotsItsPublishedVersionsBehindAnAlias() {
        Set<String> functions = ofType("AWS::Lambda::Function");
        assertThat(functions).hasSize(6);
        for (String function : functions) {
            assertThat(resources.get(function).path("Properties").path("SnapStart").path("ApplyOn").asText()).as(function).isEqualTo("PublishedVersions");
            assertThat(resources.get(function).path("Properties").path("Runtime").asText()).isEqualTo("java21");
        }
        Set<String> aliased = new TreeSet<>();
        for (String alias : ofType("AWS::Lambda::Alias")) {
            JsonNode properties = resources.get(alias).path("Properties");
            aliased.add(properties.path("FunctionName").path("Ref").asText());
            String version = properties.path("FunctionVersion").path("Fn::GetAtt").path(0).asText();
            assertThat(resources.get(version).path("Type").asText()).as(alias + " points at a published version").isEqualTo("AWS::Lambda::Version");
        }
        assertThat(aliased).isEqualTo(functions);
    }

    @Test
    void everyInvokerNamesTheAliasNotTheFunction() {
        Set<String> aliases = ofType("AWS::Lambda::Alias");
        List<String> invokers = new ArrayList<>();
        for (String permission : ofType("AWS::Lambda::Permission")) {
            invokers.add(permission);
            assertThat(referenced(resources.get(permission).path("Properties").path("FunctionName"))).as(permission).isIn(aliases);
        }
        for (String rule : ofType("AWS::Events::Rule")) {
            for (JsonNode target : resources.get(rule).path("Properties").path("Targets")) {
                invokers.add(rule);
                assertThat(referenced(target.path("Arn"))).as(rule).isIn(aliases);
            }
        }
        for (String subscription : ofType("AWS::SNS::Subscription")) {
            JsonNode properties = resources.get(subscription).path("Properties");
            if (properties.path("Protocol").asText().equals("lambda")) {
                invokers.add(subscription);
                assertThat(referenced(properties.path("Endpoint"))).as(subscription).isIn(aliases);
            }
        }
        for (String schedule : ofType("AWS::SecretsManager::RotationSchedule")) {
            invokers.add(schedule);
            assertThat(referenced(resources.get(schedule).path("Properties").path("RotationLambdaARN"))).as(schedule).isIn(aliases);
        }
        for (String config : ofType("AWS::Lambda::EventInvokeConfig")) {
            assertThat(resources.get(config).path("Properties").path("Qualifier").asText()).as(config + ": retries and dead letters of the alias").isEqualTo("live");
        }
        assertThat(invokers).as("rules, schedules, the SNS subscription and the rotation").hasSizeGreaterThan(15);
    }

    private static Set<String> ofType(String type) {
        Set<String> ids = new TreeSet<>();
        resources.forEach((id, resource) -> {
            if (resource.path("Type").asText().equals(type)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The logical id a Ref or GetAtt names. */
    private static String referenced(JsonNode value) {
        return value.has("Ref") ? value.path("Ref").asText() : value.path("Fn::GetAtt").path(0).asText(value.toString());
    }
}
