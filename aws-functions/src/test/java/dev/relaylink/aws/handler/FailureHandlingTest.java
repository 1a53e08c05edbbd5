package dev.relaylink.aws.handler;

import static dev.relaylink.aws.testing.AwsFunctionsWorld.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.aws.adapter.DynamoDbIdempotencyStore;
import dev.relaylink.aws.adapter.DynamoDbLinkLock;
import dev.relaylink.aws.adapter.AwsMetrics;
import dev.relaylink.aws.template.CloudFormationTemplate;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import dev.relaylink.failure.ConfigurationFailure;
import dev.relaylink.failure.RetryableFailure;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.port.IdempotencyStore.Claim;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * What a Lambda handler does with each kind of failure (docs/aws.md, "Failures"), against the AWS
 * emulator: a configuration failure is audited FAILED and counted, and the invocation answers instead
 * of throwing into retries and the dead-letter queue; a busy link still throws, so Lambda retries.
 */
class FailureHandlingTest {
    private AwsFunctionsWorld world;

    @BeforeEach
    void setUp() {
        world = new AwsFunctionsWorld();
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aMissingLinkTableIsAuditedFailedCountedAndNotThrown() {
        LoadBalancerDriftHandler handler = new LoadBalancerDriftHandler(world.link);
        assertThat(world.invoke(handler, world.linkEvent("cloudwatch-alarm-unhealthy.json")).result()).isEqualTo("APPLIED");
        String listener = listenerArn();
        world.aws.elb().deleteListener(r -> r.listenerArn(listener));
        // The stack's table deleted by hand: every run claims its event there, so no retry can succeed.
        world.aws.dynamoDb().deleteTable(r -> r.tableName(world.table));
        world.newAuditRecords();
        ObjectNode event = world.linkEvent("cloudtrail-elb-delete-listener.json");

        HandlerResponse result = world.invoke(handler, event);

        assertThat(result.result()).isEqualTo(HandlerResponse.FAILED);
        assertThat(result.eventId()).isEqualTo(event.get("id").asText());
        assertThat(result.reason()).contains("DynamoDB table is missing");
        assertThat(world.newAuditRecords()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.action()).isEqualTo("LoadBalancerDriftHandler");
            assertThat(r.eventId()).isEqualTo(event.get("id").asText());
            assertThat(r.reason()).startsWith("configuration failure, not retried").contains("DynamoDB table is missing");
        });
        assertThat(counted(AwsMetrics.CONFIGURATION_FAILURES)).containsExactly(1L);
        assertThat(listeners()).as("nothing was changed").isZero();
        assertTheAlarmWatchesWhatWasEmitted();
    }

    /** template.yaml's ConfigurationFailuresAlarm is on the namespace, metric and dimensions of the line the handler printed. */
    private void assertTheAlarmWatchesWhatWasEmitted() {
        JsonNode line = world.metricLines().stream().filter(l -> l.has(AwsMetrics.CONFIGURATION_FAILURES)).findFirst().orElseThrow();
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        JsonNode alarm = CloudFormationTemplate.ofRepository().root().path("Resources").path("ConfigurationFailuresAlarm").path("Properties");
        assertThat(alarm.path("Namespace").asText()).isEqualTo(directive.path("Namespace").asText()).isEqualTo(AwsMetrics.NAMESPACE);
        assertThat(alarm.path("MetricName").asText()).isEqualTo(AwsMetrics.CONFIGURATION_FAILURES);
        List<String> dimensions = new java.util.ArrayList<>();
        alarm.path("Dimensions").forEach(d -> dimensions.add(d.path("Name").asText()));
        List<String> emitted = new java.util.ArrayList<>();
        directive.path("Dimensions").get(0).forEach(d -> emitted.add(d.asText()));
        assertThat(dimensions).isEqualTo(emitted).containsExactly("Link");
        assertThat(alarm.path("Threshold").asInt()).as("one failure is enough").isZero();
        assertThat(alarm.path("AlarmActions")).isNotEmpty();
    }

    @Test
    void aRotationStepStoppedByAConfigurationFailureStillFailsForSecretsManager() {
        ServerCertificateRotationHandler handler = new ServerCertificateRotationHandler(world.link);
        world.aws.dynamoDb().deleteTable(r -> r.tableName(world.table));
        world.newAuditRecords();

        // Secrets Manager reads a normal answer as "this step is done" and would go on to setSecret.
        assertThatThrownBy(() -> world.invoke(handler, step("createSecret", UUID.randomUUID().toString())))
                .isInstanceOf(ConfigurationFailure.class).hasMessageContaining("DynamoDB table is missing");
        assertThat(world.newAuditRecords()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.reason()).startsWith("configuration failure");
        });
        assertThat(counted(AwsMetrics.CONFIGURATION_FAILURES)).containsExactly(1L);
    }

    @Test
    void aBusyLinkStillThrowsSoLambdaRetriesTheEvent() {
        // The same container's link, waiting only briefly for the lock another run holds.
        AwsFunctions.Settings s = world.link.settings();
        AwsFunctions.Settings brief = new AwsFunctions.Settings(s.table(), s.serverCaSecretId(), s.clientCaSecretId(), s.endpointServiceId(), s.claims(),
                2, Duration.ofMillis(10), s.probeAttempts(), s.probeInterval(), s.clientCasInGatewaySecretId(),
                s.serverCasInWorkloadsSecretId(), s.caKeyPolicy());
        ByteArrayOutputStream metrics = new ByteArrayOutputStream();
        AwsFunctions link = AwsFunctions.create(world.spec, brief, world.aws, world.eks.client, world.gateway, world.clock, world.audit,
                new PrintStream(metrics, true, StandardCharsets.UTF_8));
        LoadBalancerDriftHandler handler = new LoadBalancerDriftHandler(link);
        assertThat(new DynamoDbLinkLock(world.aws.dynamoDb(), world.table, world.clock).tryAcquire(world.spec.name(), Reconciler.LEASE)).isPresent();
        world.newAuditRecords();
        ObjectNode event = world.linkEvent("cloudwatch-alarm-unhealthy.json");

        assertThatThrownBy(() -> world.invoke(handler, event)).isInstanceOf(Reconciler.LinkBusyException.class).isInstanceOf(RetryableFailure.class);

        assertThat(world.newAuditRecords()).extracting(AuditRecord::outcome).doesNotContain(Outcome.FAILED, Outcome.APPLIED);
        assertThat(metrics.toString(StandardCharsets.UTF_8)).doesNotContain(AwsMetrics.CONFIGURATION_FAILURES);
        // The claim went back, so Lambda's retry takes the event.
        assertThat(new DynamoDbIdempotencyStore(world.aws.dynamoDb(), world.table, world.clock, s.claims()).claim(event.get("id").asText()))
                .isEqualTo(Claim.CLAIMED);
    }

    @Test
    void accessDenialsAndTheMissingTableAreConfigurationFailuresThrottlesAreNot() {
        assertThat(AwsFailures.configuration(serviceError("AccessDeniedException", 400))).isPresent();
        assertThat(AwsFailures.configuration(serviceError("UnauthorizedOperation", 403))).isPresent();
        assertThat(AwsFailures.configuration(serviceError("AccessDenied", 403))).isPresent();
        assertThat(AwsFailures.configuration(ResourceNotFoundException.builder().message("Requested resource not found").build())).isPresent();
        // A throttle, a 5xx, an expired token (403 too) pass on a retry.
        assertThat(AwsFailures.configuration(serviceError("ThrottlingException", 400))).isEmpty();
        assertThat(AwsFailures.configuration(serviceError("InternalFailure", 500))).isEmpty();
        assertThat(AwsFailures.configuration(serviceError("ExpiredTokenException", 403))).isEmpty();
        assertThat(AwsFailures.configuration(new IllegalStateException("no code"))).isEmpty();
    }

    private static AwsServiceException serviceError(String code, int status) {
        return AwsServiceException.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    private List<Long> counted(String metric) {
        return world.metricLines().stream().filter(l -> l.has(metric)).map(l -> l.get(metric).asLong()).toList();
    }

    private ObjectNode step(String step, String token) {
        ObjectNode event = event("secretsmanager-rotation-createSecret.json");
        event.put("Step", step);
        event.put("ClientRequestToken", token);
        event.put("SecretId", "arn:aws:secretsmanager:" + world.spec.aws().region() + ":" + AwsFunctionsWorld.ACCOUNT + ":secret:"
                + world.spec.aws().serverCertSecretId() + "-AbCdEf");
        return event;
    }

    private String listenerArn() {
        return world.aws.elb().describeListeners(r -> r.loadBalancerArn(world.spec.aws().nlb().loadBalancerArn())).listeners().get(0).listenerArn();
    }

    private int listeners() {
        return world.aws.elb().describeListeners(r -> r.loadBalancerArn(world.spec.aws().nlb().loadBalancerArn())).listeners().size();
    }
}
