package dev.relaylink.aws.handler;

import static dev.relaylink.aws.testing.AwsFunctionsWorld.CONSUMER;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.STRANGER;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.event;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.fresh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Approval gate A with the SNS notification in its published shape, EC2 behind the connection stub. */
class EndpointConnectionHandlerTest {
    private AwsFunctionsWorld world;
    private EndpointConnectionHandler handler;
    private String serviceId;

    @BeforeEach
    void setUp() {
        world = new AwsFunctionsWorld();
        handler = new EndpointConnectionHandler(world.link);
        // the endpoint service as an operator might have left it: open to anyone, no acceptance
        serviceId = world.aws.ec2().createVpcEndpointServiceConfiguration(r -> r.acceptanceRequired(false)
                .networkLoadBalancerArns(world.spec.aws().nlb().loadBalancerArn())).serviceConfiguration().serviceId();
        world.aws.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(serviceId).addAllowedPrincipals("*"));
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void locksTheServiceDownThenAcceptsAllowedOwnersAndRejectsTheRest() {
        world.ec2Stub.connect(serviceId, "vpce-0a1b2c3d4e5f60718", CONSUMER);
        world.ec2Stub.connect(serviceId, "vpce-0badbadbadbadbad1", STRANGER);

        HandlerResponse result = world.invoke(handler, notification(serviceId, UUID.randomUUID().toString()));

        assertThat(result.result()).as(result.toString()).isEqualTo("APPLIED");
        assertThat(world.ec2Stub.state("vpce-0a1b2c3d4e5f60718")).isEqualTo("available");
        assertThat(world.ec2Stub.state("vpce-0badbadbadbadbad1")).isEqualTo("rejected");
        var service = world.link.ports().endpointService().describe(world.spec.name(), world.spec.aws().nlb().loadBalancerArn()).orElseThrow();
        assertThat(service.acceptanceRequired()).isTrue();
        assertThat(service.allowedPrincipals()).containsExactly("arn:aws:iam::" + CONSUMER + ":root");
        // locked down before anything was accepted
        assertThat(result.actions()).extracting(HandlerResponse.Audited::action)
                .containsSubsequence("RequireAcceptance", "AcceptConnections")
                .containsSubsequence("SetAllowedPrincipals", "AcceptConnections")
                .contains("RejectConnections");
        assertThat(world.audit.records()).filteredOn(r -> r.action().equals("RejectConnections"))
                .singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.APPLIED));
        assertThat(world.metricLines()).anyMatch(l -> l.path("RejectedConnections").asLong() == 1);
    }

    @Test
    void aDuplicateNotificationIsANoOp() {
        String messageId = UUID.randomUUID().toString();
        world.ec2Stub.connect(serviceId, "vpce-0000000000000001", CONSUMER);
        world.invoke(handler, notification(serviceId, messageId));
        world.ec2Stub.connect(serviceId, "vpce-0000000000000002", CONSUMER);
        int decisions = world.ec2Stub.calls().size();

        HandlerResponse again = world.invoke(handler, notification(serviceId, messageId));

        assertThat(again.result()).isEqualTo("DUPLICATE");
        assertThat(world.ec2Stub.calls()).hasSize(decisions);
        assertThat(world.ec2Stub.state("vpce-0000000000000002")).isEqualTo("pendingAcceptance");
        assertThat(world.newAuditRecords()).extracting(AuditRecord::outcome).endsWith(Outcome.DUPLICATE);
    }

    @Test
    void aNotificationForAnotherEndpointServiceIsRefusedWithoutAnAwsCall() {
        world.invoke(handler, notification(serviceId, UUID.randomUUID().toString())); // the link has looked at its service
        world.ec2Stub.connect(serviceId, "vpce-0000000000000003", CONSUMER);
        world.calls.clear();
        int stubActions = world.ec2Stub.actions().size();

        HandlerResponse result = world.invoke(handler, notification("vpce-svc-0fedcba9876543210", UUID.randomUUID().toString()));

        assertThat(result.result()).isEqualTo("REJECTED");
        assertThat(result.reason()).contains("vpce-svc-0fedcba9876543210").contains(serviceId);
        assertThat(world.calls.calls()).isEmpty();
        assertThat(world.ec2Stub.actions()).hasSize(stubActions);
        assertThat(world.ec2Stub.state("vpce-0000000000000003")).isEqualTo("pendingAcceptance");
        assertThat(world.audit.records()).last().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(r.reason()).isEqualTo(result.reason());
        });
    }

    @Test
    void aFreshContainerLooksOnceAndRefusesANotificationForAnotherService() {
        world.ec2Stub.connect(serviceId, "vpce-0000000000000005", CONSUMER);
        world.calls.clear();

        HandlerResponse result = world.invoke(handler, notification("vpce-svc-0fedcba9876543210", UUID.randomUUID().toString()));

        assertThat(result.result()).isEqualTo("REJECTED");
        assertThat(result.reason()).contains(serviceId);
        assertThat(world.calls.calls()).allMatch(c -> c.startsWith("Ec2.Describe"));
        assertThat(world.ec2Stub.state("vpce-0000000000000005")).isEqualTo("pendingAcceptance");
        assertThat(world.aws.dynamoDb().scan(r -> r.tableName(world.table)).count()).isZero();
    }

    @Test
    void theScheduleIsASafetyNetForMissedNotifications() {
        world.ec2Stub.connect(serviceId, "vpce-0000000000000004", CONSUMER);

        HandlerResponse result = world.invoke(handler, fresh(event("scheduled-event.json")));

        assertThat(result.result()).isEqualTo("APPLIED");
        assertThat(world.ec2Stub.state("vpce-0000000000000004")).isEqualTo("available");
    }

    /** The published SNS notification, for {@code service}, with its own message id. */
    private static ObjectNode notification(String service, String messageId) {
        ObjectNode event = event("endpoint-connect-sns.json");
        ObjectNode sns = (ObjectNode) event.get("Records").get(0).get("Sns");
        try {
            ObjectNode message = (ObjectNode) JsonLines.JSON.readTree(sns.get("Message").asText());
            message.put("serviceId", service);
            sns.put("Message", JsonLines.JSON.writeValueAsString(message));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        sns.put("MessageId", messageId);
        return event;
    }

}
