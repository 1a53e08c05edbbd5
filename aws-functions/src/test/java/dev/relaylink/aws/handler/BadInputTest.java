package dev.relaylink.aws.handler;

import static dev.relaylink.aws.testing.AwsFunctionsWorld.event;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.fresh;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every handler refuses bad input the same way: the result says why, the refusal is audited and
 * counted, and nothing else happens: no AWS call (counted by an SDK interceptor), no request to the
 * EKS API, no idempotency claim, no EC2 connection call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private AwsFunctionsWorld world;

    @BeforeAll
    void setUp() {
        world = new AwsFunctionsWorld();
    }

    @AfterAll
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    Stream<Arguments> badInputs() {
        List<Arguments> cases = new ArrayList<>();
        List<Handler> eventBridgeHandlers = List.of(
                new Handler("EndpointConnectionHandler", EndpointConnectionHandler::new, "scheduled-event.json"),
                new Handler("EndpointServiceDriftHandler", EndpointServiceDriftHandler::new, "cloudtrail-ec2-modify-endpoint-service.json"),
                new Handler("LoadBalancerDriftHandler", LoadBalancerDriftHandler::new, "cloudtrail-elb-delete-listener.json"),
                new Handler("ServerCertificateRotationHandler", ServerCertificateRotationHandler::new, "acm-approaching-expiration.json"),
                new Handler("ReconcileHandler", ReconcileHandler::new, "scheduled-event.json"));
        for (Handler h : eventBridgeHandlers) {
            cases.add(Arguments.of(h, "malformed JSON", raw("{\"version\": \"0\", \"id\": "), "malformed JSON"));
            cases.add(Arguments.of(h, "not an object", raw("[\"aws.events\"]"), "not a JSON object"));
            cases.add(Arguments.of(h, "oversized", oversized(h.sample()), "larger than 256 KiB"));
            cases.add(Arguments.of(h, "wrong source", with(h.sample(), "source", "aws.s3"), "source aws.s3 is not handled"));
            cases.add(Arguments.of(h, "wrong account", with(h.sample(), "account", "999988887777"), "account 999988887777 is not the link's account"));
            cases.add(Arguments.of(h, "wrong region", with(h.sample(), "region", "ap-south-2"), "region ap-south-2 is not the link's region"));
            cases.add(Arguments.of(h, "unknown detail-type", with(h.sample(), "detail-type", "Object Created"), "detail-type 'Object Created'"));
            cases.add(Arguments.of(h, "no id", without(h.sample(), "id"), "has no id"));
        }
        Handler connections = eventBridgeHandlers.get(0);
        cases.add(Arguments.of(connections, "SNS topic of another account", sns(m -> m, "arn:aws:sns:" + region() + ":999988887777:relay-link-demo-endpoint-connections"), "account 999988887777"));
        cases.add(Arguments.of(connections, "SNS message not JSON", snsMessage("Connect me please"), "message is not JSON"));
        cases.add(Arguments.of(connections, "unknown connection event", sns(m -> m.put("connectionEvent", "Explode"), null), "connectionEvent 'Explode'"));
        cases.add(Arguments.of(connections, "no endpoint service id", sns(m -> m.put("serviceId", "svc-123"), null), "names no endpoint service id"));
        cases.add(Arguments.of(connections, "two records", twoRecords(), "exactly one record"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badInputs")
    void isRefusedWithAReasonAndChangesNothing(Handler handler, String what, byte[] raw, String reasonFragment) {
        world.calls.clear();
        world.eks.requests();
        int stubActions = world.ec2Stub.actions().size();
        int audits = world.audit.records().size();

        HandlerResponse result = world.invoke(handler.create(world.link), raw);

        assertThat(result.result()).isEqualTo("REJECTED");
        assertThat(result.handler()).isEqualTo(handler.name());
        assertThat(result.reason()).contains(reasonFragment);
        assertThat(world.calls.calls()).as("AWS calls").isEmpty();
        assertThat(world.eks.requests()).as("EKS API requests").isEmpty();
        assertThat(world.ec2Stub.actions()).hasSize(stubActions);
        List<AuditRecord> records = world.audit.records().subList(audits, world.audit.records().size());
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(r.reason()).isEqualTo(result.reason());
        });
        assertThat(world.metricLines()).last().satisfies(l -> assertThat(l.path("RejectedEvents").asLong()).isEqualTo(1));
        assertThat(world.aws.dynamoDb().scan(r -> r.tableName(world.table)).count()).as("idempotency claims").isZero();
    }

    record Handler(String name, Function<AwsFunctions, RequestStreamHandler> factory, String sample) {
        RequestStreamHandler create(AwsFunctions link) {
            return factory.apply(link);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static String region() {
        return dev.relaylink.aws.testing.Emulator.region().id();
    }

    private static byte[] raw(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ObjectNode event) {
        try {
            return JsonLines.JSON.writeValueAsBytes(event);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] with(String sample, String field, String value) {
        ObjectNode event = fresh(event(sample));
        event.put(field, value);
        return bytes(event);
    }

    private static byte[] without(String sample, String field) {
        ObjectNode event = fresh(event(sample));
        event.remove(field);
        return bytes(event);
    }

    /** A well-formed event of the right kind, padded past the limit. */
    private static byte[] oversized(String sample) {
        ObjectNode event = fresh(event(sample));
        ((ObjectNode) event.get("detail")).put("padding", "x".repeat(LinkHandler.MAX_EVENT_BYTES));
        return bytes(event);
    }

    private static byte[] sns(Function<ObjectNode, ObjectNode> message, String topicArn) {
        ObjectNode event = event("endpoint-connect-sns.json");
        ObjectNode sns = (ObjectNode) event.get("Records").get(0).get("Sns");
        try {
            ObjectNode body = (ObjectNode) JsonLines.JSON.readTree(sns.get("Message").asText());
            sns.put("Message", JsonLines.JSON.writeValueAsString(message.apply(body)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        if (topicArn != null) {
            sns.put("TopicArn", topicArn);
        }
        return bytes(event);
    }

    private static byte[] snsMessage(String message) {
        ObjectNode event = event("endpoint-connect-sns.json");
        ((ObjectNode) event.get("Records").get(0).get("Sns")).put("Message", message);
        return bytes(event);
    }

    private static byte[] twoRecords() {
        ObjectNode event = event("endpoint-connect-sns.json");
        event.withArray("Records").add(event.get("Records").get(0).deepCopy());
        return bytes(event);
    }
}
