package dev.relaylink.aws.handler;

import static dev.relaylink.aws.testing.AwsFunctionsWorld.CONSUMER;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.STRANGER;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.event;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.fresh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.aws.adapter.Ec2EndpointService;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import dev.relaylink.aws.testing.AwsNetwork;
import dev.relaylink.state.EndpointServiceState;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each kind of endpoint service drift, made with the EC2 API, is repaired by one invocation with an audit record. */
class EndpointServiceDriftHandlerTest {
    private static final String ALLOWED = "arn:aws:iam::" + CONSUMER + ":root";

    private AwsFunctionsWorld world;
    private EndpointServiceDriftHandler handler;

    @BeforeEach
    void setUp() {
        world = new AwsFunctionsWorld();
        handler = new EndpointServiceDriftHandler(world.link);
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void createsTheServiceOnFirstDeployAndRecreatesItWhenDeleted() {
        HandlerResponse created = world.invoke(handler, world.linkEvent("cloudtrail-ec2-modify-endpoint-service.json"));

        assertThat(created.result()).isEqualTo("APPLIED");
        String first = assertMatchesSpec();
        world.newAuditRecords();

        world.aws.ec2().deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(first));
        HandlerResponse recreated = world.invoke(handler, world.linkEvent("cloudtrail-ec2-delete-endpoint-service.json"));

        assertThat(recreated.result()).isEqualTo("APPLIED");
        assertThat(assertMatchesSpec()).isNotEqualTo(first);
        assertRepairedWith("CreateEndpointService");
    }

    @Test
    void turnsAcceptanceRequiredBackOn() {
        String id = bootstrap();
        world.aws.ec2().modifyVpcEndpointServiceConfiguration(r -> r.serviceId(id).acceptanceRequired(false));

        world.invoke(handler, world.linkEvent("cloudtrail-ec2-modify-endpoint-service.json"));

        assertThat(assertMatchesSpec()).isEqualTo(id);
        assertRepairedWith("RequireAcceptance");
    }

    @Test
    void narrowsWidenedPrincipalsAndRejectsWhatTheyLetIn() {
        String id = bootstrap();
        world.aws.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(id).addAllowedPrincipals("*", "arn:aws:iam::" + STRANGER + ":root"));
        world.ec2Stub.connect(id, "vpce-0000000000000bad", STRANGER);
        world.ec2Stub.connect(id, "vpce-0000000000000900d", CONSUMER);

        world.invoke(handler, world.linkEvent("cloudtrail-ec2-modify-endpoint-service-permissions.json"));

        assertThat(assertMatchesSpec()).isEqualTo(id);
        assertThat(world.ec2Stub.state("vpce-0000000000000bad")).isEqualTo("rejected");
        assertThat(world.ec2Stub.state("vpce-0000000000000900d")).isEqualTo("available");
        assertRepairedWith("SetAllowedPrincipals");
    }

    @Test
    void putsTheLinksLoadBalancerBackBehindTheService() {
        String id = bootstrap();
        AwsNetwork other = AwsNetwork.create(world.aws.ec2(), world.aws.elb(), world.aws.region());
        world.aws.ec2().modifyVpcEndpointServiceConfiguration(r -> r.serviceId(id)
                .addNetworkLoadBalancerArns(other.loadBalancerArn()).removeNetworkLoadBalancerArns(world.spec.aws().nlb().loadBalancerArn()));

        world.invoke(handler, world.linkEvent("cloudtrail-ec2-modify-endpoint-service.json"));

        assertThat(assertMatchesSpec()).isEqualTo(id);
        assertRepairedWith("SetEndpointServiceLoadBalancer");
    }

    @Test
    void anUnrelatedEc2CallIsRefused() {
        world.calls.clear();

        HandlerResponse result = world.invoke(handler, fresh(event("cloudtrail-ec2-run-instances.json")));

        assertThat(result.result()).isEqualTo("REJECTED");
        assertThat(result.reason()).contains("RunInstances");
        assertThat(world.calls.calls()).isEmpty();
    }

    /** Calls on another endpoint service, or a new service for another NLB: refused with the reason, before any AWS call. */
    @Test
    void callsOnAnotherEndpointServiceAreRefusedWithoutAnAwsCall() {
        bootstrap();
        ObjectNode modify = world.linkEvent("cloudtrail-ec2-modify-endpoint-service.json");
        ((ObjectNode) modify.at("/detail/requestParameters/ModifyVpcEndpointServiceConfigurationRequest")).put("ServiceId", "vpce-svc-0aaaaaaaaaaaaaaaa");
        ObjectNode delete = world.linkEvent("cloudtrail-ec2-delete-endpoint-service.json");
        ((ObjectNode) delete.at("/detail/requestParameters/DeleteVpcEndpointServiceConfigurationsRequest/ServiceId")).put("content", "vpce-svc-0bbbbbbbbbbbbbbbb");
        ObjectNode create = world.linkEvent("cloudtrail-ec2-modify-endpoint-service.json");
        ((ObjectNode) create.get("detail")).put("eventName", "CreateVpcEndpointServiceConfiguration");
        ((ObjectNode) create.get("detail")).putObject("requestParameters").putObject("CreateVpcEndpointServiceConfigurationRequest")
                .putObject("NetworkLoadBalancerArn").put("tag", 1)
                .put("content", "arn:aws:elasticloadbalancing:" + world.aws.region().id() + ":" + AwsFunctionsWorld.ACCOUNT + ":loadbalancer/net/other/0123456789abcdef");
        world.calls.clear();
        world.newAuditRecords();

        assertThat(List.of(modify, delete, create)).allSatisfy(event ->
                assertThat(world.invoke(handler, event).result()).isEqualTo("REJECTED"));
        assertThat(world.newAuditRecords()).extracting(AuditRecord::reason).satisfiesExactly(
                r -> assertThat(r).contains("vpce-svc-0aaaaaaaaaaaaaaaa").contains("not the link's"),
                r -> assertThat(r).contains("vpce-svc-0bbbbbbbbbbbbbbbb").contains("not the link's"),
                r -> assertThat(r).contains("loadbalancer/net/other"));
        assertThat(world.calls.calls()).isEmpty();
    }

    private String bootstrap() {
        world.invoke(handler, world.linkEvent("cloudtrail-ec2-modify-endpoint-service.json"));
        world.newAuditRecords();
        return assertMatchesSpec();
    }

    /** The service is as the spec says; returns its id. */
    private String assertMatchesSpec() {
        EndpointServiceState state = world.link.ports().endpointService()
                .describe(world.spec.name(), world.spec.aws().nlb().loadBalancerArn()).orElseThrow();
        assertThat(state.acceptanceRequired()).isTrue();
        assertThat(state.allowedPrincipals()).containsExactly(ALLOWED);
        assertThat(state.loadBalancerArns()).containsExactly(world.spec.aws().nlb().loadBalancerArn());
        var tags = world.aws.ec2().describeVpcEndpointServiceConfigurations(r -> r.serviceIds(state.serviceId()))
                .serviceConfigurations().get(0).tags();
        assertThat(tags).anyMatch(t -> t.key().equals(Ec2EndpointService.LINK_TAG) && t.value().equals(world.spec.name()));
        return state.serviceId();
    }

    private void assertRepairedWith(String action) {
        List<AuditRecord> records = world.newAuditRecords();
        assertThat(records).filteredOn(r -> r.action().equals(action))
                .singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.APPLIED));
    }
}
