package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.aws.testing.AwsNetwork;
import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.ListenerState;
import dev.relaylink.state.Target;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;

/** The NLB listener, its IP targets and its security group, against the AWS emulator. */
class ElbLoadBalancerTest {
    private AwsClients aws;
    private AwsNetwork network;
    private ElbLoadBalancer loadBalancer;

    @BeforeEach
    void setUp() {
        aws = Emulator.clients();
        network = AwsNetwork.create(aws.ec2(), aws.elb(), aws.region());
        loadBalancer = new ElbLoadBalancer(aws.elb(), aws.ec2());
    }

    @Test
    void createsATcpListenerForwardingToTheGatewayTargetGroupAndDeletesIt() {
        assertThat(loadBalancer.listeners(network.loadBalancerArn())).isEmpty();

        loadBalancer.createListener(network.loadBalancerArn(), 443, network.targetGroupArn());

        List<ListenerState> listeners = loadBalancer.listeners(network.loadBalancerArn());
        assertThat(listeners).singleElement().satisfies(l -> {
            assertThat(l.port()).isEqualTo(443);
            assertThat(l.protocol()).isEqualTo("TCP");
            assertThat(l.targetGroupArn()).isEqualTo(network.targetGroupArn());
        });

        loadBalancer.deleteListener(listeners.get(0).listenerArn());

        assertThat(loadBalancer.listeners(network.loadBalancerArn())).isEmpty();
    }

    @Test
    void registersAndDeregistersIpTargets() {
        Set<Target> gateway = Set.of(new Target("10.0.1.17", 8443), new Target("10.0.1.18", 8443));

        loadBalancer.register(network.targetGroupArn(), gateway);
        assertThat(loadBalancer.registeredTargets(network.targetGroupArn())).isEqualTo(gateway);

        loadBalancer.deregister(network.targetGroupArn(), Set.of(new Target("10.0.1.17", 8443)));
        assertThat(loadBalancer.registeredTargets(network.targetGroupArn())).containsExactly(new Target("10.0.1.18", 8443));
    }

    @Test
    void authorizesTheSpecRulesOnceAndRevokesWhateverElseIsThere() {
        IngressRule transit = new IngressRule("tcp", 443, "10.20.0.0/24");
        aws.ec2().authorizeSecurityGroupIngress(r -> r.groupId(network.securityGroupId()).ipPermissions(
                IpPermission.builder().ipProtocol("-1").ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build(),
                IpPermission.builder().ipProtocol("tcp").fromPort(0).toPort(1024).ipRanges(IpRange.builder().cidrIp("10.99.0.0/16").build()).build()));
        IngressRule everything = new IngressRule("-1", ElbLoadBalancer.ANY_PORT, "0.0.0.0/0");
        IngressRule range = new IngressRule("tcp", ElbLoadBalancer.ANY_PORT, "10.99.0.0/16");
        assertThat(loadBalancer.ingressRules(network.securityGroupId())).containsExactlyInAnyOrder(everything, range);

        loadBalancer.authorize(network.securityGroupId(), Set.of(transit));
        loadBalancer.authorize(network.securityGroupId(), Set.of(transit)); // a retry: already there
        loadBalancer.revoke(network.securityGroupId(), Set.of(everything, range));

        assertThat(loadBalancer.ingressRules(network.securityGroupId())).containsExactly(transit);
        // egress is not relay-link's business and stays as it was
        assertThat(aws.ec2().describeSecurityGroups(r -> r.groupIds(network.securityGroupId())).securityGroups().get(0)
                .ipPermissionsEgress()).isNotEmpty();
    }
}
