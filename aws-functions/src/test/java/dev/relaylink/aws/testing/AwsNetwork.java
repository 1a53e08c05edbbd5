package dev.relaylink.aws.testing;

import dev.relaylink.aws.adapter.AwsClients;
import java.util.UUID;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The AWS half of a link as an operator sets it up before relay-link runs, created in the emulator:
 * a VPC and subnet, the NLB's security group, an internal NLB and an IP target group. Names are
 * unique per instance, so tests never see each other's resources.
 */
public record AwsNetwork(String vpcId, String subnetId, String securityGroupId, String loadBalancerArn, String targetGroupArn,
                         String suffix) {

    public static AwsNetwork create(AwsClients aws) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String vpc = aws.ec2().createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = aws.ec2().createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24")
                .availabilityZone(aws.region().id() + "a")).subnet().subnetId();
        String group = aws.ec2().createSecurityGroup(r -> r.vpcId(vpc).groupName("relay-nlb-" + suffix)
                .description("relay-link NLB")).groupId();
        String nlb = aws.elb().createLoadBalancer(r -> r.name("relay-" + suffix).type(LoadBalancerTypeEnum.NETWORK)
                .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(subnet).securityGroups(group))
                .loadBalancers().get(0).loadBalancerArn();
        String targetGroup = aws.elb().createTargetGroup(r -> r.name("relay-gw-" + suffix).protocol(ProtocolEnum.TCP)
                .port(10443).vpcId(vpc).targetType(TargetTypeEnum.IP)).targetGroups().get(0).targetGroupArn();
        return new AwsNetwork(vpc, subnet, group, nlb, targetGroup, suffix);
    }
}
