package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.aws.testing.AwsNetwork;
import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.state.EndpointServiceState;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint service calls against the AWS emulator's EC2 (connections: see Ec2EndpointConnectionsTest). */
class Ec2EndpointServiceTest {
    private static final String TRANSIT = "arn:aws:iam::444455556666:root";

    private AwsClients aws;
    private AwsNetwork network;
    private Ec2EndpointService service;
    private String link;

    @BeforeEach
    void setUp() {
        aws = Emulator.clients();
        network = AwsNetwork.create(aws.ec2(), aws.elb(), aws.region());
        service = new Ec2EndpointService(aws.ec2());
        link = "link-" + network.suffix();
    }

    @Test
    void createsALockedDownServiceTaggedWithTheLinkAndFindsItAgain() {
        assertThat(service.describe(link, network.loadBalancerArn())).isEmpty();

        String id = service.create(link, network.loadBalancerArn());

        EndpointServiceState state = service.describe(link, network.loadBalancerArn()).orElseThrow();
        assertThat(state.serviceId()).isEqualTo(id);
        assertThat(state.acceptanceRequired()).isTrue();
        assertThat(state.allowedPrincipals()).isEmpty();
        assertThat(state.loadBalancerArns()).containsExactly(network.loadBalancerArn());
        var described = aws.ec2().describeVpcEndpointServiceConfigurations(r -> r.serviceIds(id)).serviceConfigurations().get(0);
        assertThat(described.tags()).anyMatch(t -> t.key().equals(Ec2EndpointService.LINK_TAG) && t.value().equals(link));
    }

    @Test
    void findsTheServiceByItsTagAfterItsLoadBalancerWasSwapped() {
        String id = service.create(link, network.loadBalancerArn());
        AwsNetwork other = AwsNetwork.create(aws.ec2(), aws.elb(), aws.region());

        service.replaceLoadBalancers(id, other.loadBalancerArn(), Set.of(network.loadBalancerArn()));

        EndpointServiceState state = service.describe(link, network.loadBalancerArn()).orElseThrow();
        assertThat(state.serviceId()).isEqualTo(id);
        assertThat(state.loadBalancerArns()).containsExactly(other.loadBalancerArn());
        service.replaceLoadBalancers(id, network.loadBalancerArn(), Set.of(other.loadBalancerArn()));
        assertThat(service.describe(link, network.loadBalancerArn()).orElseThrow().loadBalancerArns())
                .containsExactly(network.loadBalancerArn());
    }

    @Test
    void findsAnUntaggedServiceByItsLoadBalancer() {
        String id = aws.ec2().createVpcEndpointServiceConfiguration(r -> r.acceptanceRequired(false)
                .networkLoadBalancerArns(network.loadBalancerArn())).serviceConfiguration().serviceId();

        EndpointServiceState state = service.describe(link, network.loadBalancerArn()).orElseThrow();

        assertThat(state.serviceId()).isEqualTo(id);
        assertThat(state.acceptanceRequired()).isFalse();
    }

    @Test
    void restoresAcceptanceRequiredAndTheExactPrincipals() {
        String id = service.create(link, network.loadBalancerArn());
        aws.ec2().modifyVpcEndpointServiceConfiguration(r -> r.serviceId(id).acceptanceRequired(false));
        aws.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(id).addAllowedPrincipals(TRANSIT, "*"));
        assertThat(service.describe(link, network.loadBalancerArn()).orElseThrow().allowedPrincipals()).containsExactlyInAnyOrder(TRANSIT, "*");

        service.requireAcceptance(id);
        service.modifyPermissions(id, Set.of(), Set.of("*"));

        EndpointServiceState state = service.describe(link, network.loadBalancerArn()).orElseThrow();
        assertThat(state.acceptanceRequired()).isTrue();
        assertThat(state.allowedPrincipals()).containsExactly(TRANSIT);
    }

    @Test
    void aDeletedServiceIsNotFound() {
        String id = service.create(link, network.loadBalancerArn());

        aws.ec2().deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(id));

        assertThat(service.describe(link, network.loadBalancerArn())).isEmpty();
    }
}
