package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Every EventBridge pattern in template.yaml, read from the template itself and resolved for the
 * example deployment, is put on a rule in the AWS emulator with an SQS queue as its target. Each
 * sample event (the published formats, testing/src/main/resources/events) is sent with PutEvents: a
 * positive sample reaches exactly its rule's queue, a negative one reaches no queue. The
 * emulator's TestEventPattern is a stub, its rule matcher is real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NONE = "(no rule)";

    private final CloudFormationTemplate template = CloudFormationTemplate.ofRepository();
    private final Map<String, JsonNode> patterns = patternsOf(template);
    private EventBridgeClient events;
    private SqsClient sqs;
    private String bus;
    private final Map<String, String> queueByRule = new LinkedHashMap<>();

    /** The rules of template.yaml: "Function/Event" to the pattern resolved for the example deployment. */
    static Map<String, JsonNode> patternsOf(CloudFormationTemplate template) {
        Deployment deployment = ExampleDeployment.of(template);
        Map<String, JsonNode> found = new LinkedHashMap<>();
        template.resources("AWS::Serverless::Function").forEach((function, definition) ->
                definition.path("Properties").path("Events").properties().forEach(event -> {
                    String type = event.getValue().path("Type").asText();
                    if (type.equals("EventBridgeRule") || type.equals("CloudWatchEvent")) {
                        found.put(function + "/" + event.getKey(), deployment.resolve(event.getValue().path("Properties").path("Pattern")));
                    }
                }));
        return found;
    }

    /** Each sample, possibly changed to make a near miss, and the one rule it must reach (or none). */
    static Stream<Arguments> samples() {
        return Stream.of(
                sample("cloudtrail-ec2-modify-endpoint-service.json", "EndpointServiceDriftFunction/EndpointServiceChanged"),
                sample("cloudtrail-ec2-modify-endpoint-service-permissions.json", "EndpointServiceDriftFunction/EndpointServiceChanged"),
                sample("cloudtrail-ec2-delete-endpoint-service.json", "EndpointServiceDriftFunction/EndpointServiceChanged"),
                sample("cloudtrail-ec2-modify-endpoint-service.json", NONE, "the call failed (AccessDenied)",
                        e -> detail(e).put("errorCode", "Client.UnauthorizedOperation")
                                .put("errorMessage", "You are not authorized to perform this operation.")),
                sample("cloudtrail-ec2-run-instances.json", NONE),
                sample("cloudtrail-elb-delete-listener.json", "LoadBalancerDriftFunction/LoadBalancerChanged"),
                sample("cloudtrail-elb-deregister-targets.json", "LoadBalancerDriftFunction/LoadBalancerChanged"),
                sample("cloudtrail-elb-delete-listener.json", NONE, "a listener of another NLB",
                        e -> requestParameters(e).put("listenerArn",
                                "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/other-nlb/0123456789abcdef/fedcba9876543210")),
                sample("cloudtrail-elb-delete-listener.json", NONE, "an NLB whose name starts like ours",
                        e -> requestParameters(e).put("listenerArn",
                                "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/relay-nlb/0123456789abcdef0/fedcba9876543210")),
                sample("cloudtrail-elb-delete-listener.json", NONE, "the call failed",
                        e -> detail(e).put("errorCode", "ListenerNotFound")),
                sample("cloudtrail-elb-delete-listener.json", NONE, "a read-only call on our listener",
                        e -> detail(e).put("eventName", "DescribeListeners").put("readOnly", true)),
                sample("cloudtrail-elb-deregister-targets.json", NONE, "another target group",
                        e -> requestParameters(e).put("targetGroupArn",
                                "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/other-tg/0123456789abcdef")),
                sample("cloudtrail-ec2-authorize-security-group-ingress.json", "LoadBalancerDriftFunction/SecurityGroupChanged"),
                sample("cloudtrail-ec2-modify-security-group-rules.json", "LoadBalancerDriftFunction/SecurityGroupChanged"),
                sample("cloudtrail-ec2-authorize-security-group-ingress.json", NONE, "another security group",
                        e -> requestParameters(e).put("groupId", "sg-0fedcba9876543210")),
                sample("cloudwatch-alarm-unhealthy.json", "LoadBalancerDriftFunction/NoHealthyTarget"),
                sample("cloudwatch-alarm-unhealthy.json", NONE, "the alarm went back to OK",
                        e -> ((ObjectNode) detail(e).get("state")).put("value", "OK")),
                sample("cloudwatch-alarm-unhealthy.json", NONE, "another alarm",
                        e -> {
                            ((ArrayNode) e.get("resources")).removeAll().add("arn:aws:cloudwatch:eu-west-1:111122223333:alarm:someone-elses");
                            detail(e).put("alarmName", "someone-elses");
                        }),
                sample("acm-approaching-expiration.json", "ServerCertificateRotationFunction/CertificateApproachingExpiration"),
                sample("acm-approaching-expiration.json", NONE, "a certificate for another name",
                        e -> detail(e).put("CommonName", "www.example.com")),
                sample("scheduled-event.json", NONE));
    }

    @BeforeAll
    void rulesWithQueues() {
        Optional<URI> endpoint = Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank()).map(URI::create);
        if (endpoint.isEmpty()) {
            return; // the emulator tests skip themselves; the template checks below still run
        }
        Region region = Region.of(Optional.ofNullable(System.getenv("AWS_REGION")).orElse(ExampleDeployment.REGION));
        events = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).region(region).endpointOverride(endpoint.get()).build();
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(region).endpointOverride(endpoint.get()).build();

        // A bus of our own: other tests sharing the emulator never see these events, nor we theirs.
        String run = UUID.randomUUID().toString().substring(0, 8);
        bus = "relay-link-patterns-" + run;
        events.createEventBus(r -> r.name(bus));
        int n = 0;
        for (Map.Entry<String, JsonNode> rule : patterns.entrySet()) {
            String name = "rule-" + (++n) + "-" + run;
            String queueUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            events.putRule(r -> r.name(name).eventBusName(bus).eventPattern(rule.getValue().toString()));
            events.putTargets(r -> r.rule(name).eventBusName(bus).targets(t -> t.id("queue").arn(queueArn)));
            queueByRule.put(rule.getKey(), queueUrl);
        }
    }

    @AfterAll
    void removeBus() {
        if (events != null) {
            queueByRule.values().forEach(url -> sqs.deleteQueue(r -> r.queueUrl(url)));
            events.listRules(r -> r.eventBusName(bus)).rules().forEach(rule -> {
                events.removeTargets(r -> r.rule(rule.name()).eventBusName(bus).ids("queue"));
                events.deleteRule(r -> r.name(rule.name()).eventBusName(bus));
            });
            events.deleteEventBus(r -> r.name(bus));
        }
    }

    @Test
    void theTemplateHasTheRulesOfTheEventCatalogue() {
        assertThat(patterns.keySet()).containsExactlyInAnyOrder(
                "EndpointServiceDriftFunction/EndpointServiceChanged",
                "LoadBalancerDriftFunction/LoadBalancerChanged",
                "LoadBalancerDriftFunction/SecurityGroupChanged",
                "LoadBalancerDriftFunction/NoHealthyTarget",
                "ServerCertificateRotationFunction/CertificateApproachingExpiration");
    }

    @Test
    void everyRuleHasAPositiveSample() {
        Set<String> reached = samples().map(a -> (String) a.get()[1]).collect(Collectors.toCollection(TreeSet::new));
        assertThat(reached).containsAll(patterns.keySet());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("samples")
    void aSampleReachesExactlyItsRule(String description, String expectedRule, JsonNode event) {
        assumeTrue(events != null, "AWS_ENDPOINT_URL is not set: start the AWS emulator (scripts/test does)");
        PutEventsResponse put = events.putEvents(r -> r.entries(withBus(entry(event))));
        assertThat(put.failedEntryCount()).as("PutEvents failures: %s", put.entries()).isZero();

        Map<String, List<JsonNode>> delivered = new LinkedHashMap<>();
        queueByRule.forEach((rule, url) -> delivered.put(rule, drain(url)));
        for (Map.Entry<String, List<JsonNode>> queue : delivered.entrySet()) {
            if (queue.getKey().equals(expectedRule)) {
                assertThat(queue.getValue()).as("events on the queue of %s", queue.getKey()).hasSize(1);
                JsonNode received = queue.getValue().get(0);
                assertThat(received.path("detail-type").asText()).isEqualTo(event.get("detail-type").asText());
                assertThat(received.path("detail")).isEqualTo(event.get("detail"));
            } else {
                assertThat(queue.getValue()).as("events on the queue of %s", queue.getKey()).isEmpty();
            }
        }
    }

    private static PutEventsRequestEntry entry(JsonNode event) {
        List<String> resources = new ArrayList<>();
        event.path("resources").forEach(r -> resources.add(r.asText()));
        return PutEventsRequestEntry.builder()
                .source(event.get("source").asText())
                .detailType(event.get("detail-type").asText())
                .detail(event.get("detail").toString())
                .resources(resources)
                .build();
    }

    private PutEventsRequestEntry withBus(PutEventsRequestEntry entry) {
        return entry.toBuilder().eventBusName(bus).build();
    }

    /** Everything on a queue now: the emulator delivers during PutEvents, so no waiting; bounded. */
    private List<JsonNode> drain(String queueUrl) {
        List<JsonNode> out = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                break;
            }
            for (Message message : messages) {
                try {
                    out.add(JSON.readTree(message.body()));
                } catch (IOException e) {
                    throw new IllegalStateException("not an event on " + queueUrl + ": " + message.body(), e);
                }
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return out;
    }

    private static Arguments sample(String file, String expectedRule) {
        return Arguments.of(file, expectedRule, load(file));
    }

    private static Arguments sample(String file, String expectedRule, String change, Consumer<ObjectNode> mutation) {
        ObjectNode event = load(file);
        mutation.accept(event);
        return Arguments.of(file + " (" + change + ")", expectedRule, event);
    }

    private static ObjectNode detail(ObjectNode event) {
        return (ObjectNode) event.get("detail");
    }

    private static ObjectNode requestParameters(ObjectNode event) {
        return (ObjectNode) detail(event).get("requestParameters");
    }

    static ObjectNode load(String file) {
        try (InputStream in = EventPatternTest.class.getResourceAsStream("/events/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample event " + file);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
