package dev.relaylink.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.aws.adapter.DynamoDbIdempotencyStore;
import dev.relaylink.aws.template.CloudFormationTemplate;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.port.IdempotencyStore.Claim;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lambda's asynchronous retries (template.yaml: MaximumRetryAttempts, then the dead-letter queue)
 * against the event claims in DynamoDB: a run that died after claiming its event does not lose it,
 * and a run that keeps failing ends in the dead-letter path. The clock moves as Lambda's retries do.
 */
class NoLostEventsTest {
    /** Lambda retries a failed asynchronous invocation after about one minute, then two. */
    private static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    private static final Duration SECOND_RETRY = Duration.ofMinutes(2);

    private AwsFunctionsWorld world;
    private LoadBalancerDriftHandler handler;
    private Duration timeout;

    @BeforeEach
    void setUp() {
        world = new AwsFunctionsWorld();
        handler = new LoadBalancerDriftHandler(world.link);
        timeout = world.link.settings().claims().functionTimeout();
        assertThat(world.invoke(handler, world.linkEvent("cloudwatch-alarm-unhealthy.json")).result()).isEqualTo("APPLIED");
        world.newAuditRecords();
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void aRunKilledAfterItsClaimIsRedoneByLambdasRetryExactlyOnce() {
        String listener = listenerArn();
        world.aws.elb().deleteListener(r -> r.listenerArn(listener));
        ObjectNode event = world.linkEvent("cloudtrail-elb-delete-listener.json");
        // The first run claimed the event, then its JVM died (timeout, out of memory): nothing released the claim.
        DynamoDbIdempotencyStore killedRun = new DynamoDbIdempotencyStore(world.aws.dynamoDb(), world.table, world.clock, world.link.settings().claims());
        assertThat(killedRun.claim(event.get("id").asText())).isEqualTo(Claim.CLAIMED);

        // EventBridge delivers at least once: a copy arriving while the claim is live fails, so it is not taken as handled.
        world.clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> world.invoke(handler, event)).isInstanceOf(Reconciler.EventInProgressException.class);
        assertThat(listeners()).isZero();

        // Lambda's retry comes a minute after the killed run's timeout: the claim has expired, the retry does the work.
        world.clock.advance(timeout.plus(FIRST_RETRY).minusSeconds(10));
        HandlerResponse retry = world.invoke(handler, event);
        world.clock.advance(SECOND_RETRY);
        HandlerResponse again = world.invoke(handler, event);

        assertThat(retry.result()).as(retry.toString()).isEqualTo("APPLIED");
        assertThat(again.result()).isEqualTo("DUPLICATE");
        assertThat(listeners()).isEqualTo(1);
        assertThat(world.newAuditRecords()).filteredOn(r -> r.action().equals("CreateListener"))
                .singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.APPLIED));
    }

    @Test
    void aRunThatFailsOnEveryAttemptFailsEachOfLambdasAttemptsSoTheEventIsDeadLettered() {
        // A target group deleted behind the stack's back cannot be repaired by the function (docs/aws.md).
        var nlb = world.spec.aws().nlb();
        world.aws.elb().deleteListener(r -> r.listenerArn(listenerArn()));
        world.aws.elb().deleteTargetGroup(r -> r.targetGroupArn(nlb.targetGroupArn()));
        ObjectNode event = world.linkEvent("cloudtrail-elb-delete-listener.json");
        JsonNode function = CloudFormationTemplate.ofRepository().root().path("Resources").path("LoadBalancerDriftFunction");
        JsonNode invokeConfig = CloudFormationTemplate.ofRepository().functionProperty(function, "EventInvokeConfig");
        int attempts = 1 + invokeConfig.path("MaximumRetryAttempts").asInt();
        assertThat(function.path("Properties").path("DeadLetterQueue").path("Type").asText()).isEqualTo("SQS");

        for (int attempt = 1; attempt <= attempts; attempt++) {
            assertThatThrownBy(() -> world.invoke(handler, event)).as("attempt %d fails, so Lambda does not count it delivered", attempt)
                    .isNotInstanceOf(Reconciler.EventInProgressException.class);
            world.clock.advance(attempt == 1 ? FIRST_RETRY : SECOND_RETRY);
        }

        // Each failed attempt gave its claim back: after the dead-letter queue, a redrive of the event runs again.
        assertThat(new DynamoDbIdempotencyStore(world.aws.dynamoDb(), world.table, world.clock, world.link.settings().claims())
                .claim(event.get("id").asText())).isEqualTo(Claim.CLAIMED);
        assertThat(world.newAuditRecords()).extracting(AuditRecord::outcome).doesNotContain(Outcome.APPLIED, Outcome.DUPLICATE);
    }

    private String listenerArn() {
        return world.aws.elb().describeListeners(r -> r.loadBalancerArn(world.spec.aws().nlb().loadBalancerArn())).listeners().get(0).listenerArn();
    }

    private int listeners() {
        return world.aws.elb().describeListeners(r -> r.loadBalancerArn(world.spec.aws().nlb().loadBalancerArn())).listeners().size();
    }
}
