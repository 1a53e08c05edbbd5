package dev.relaylink.aws.testing;

import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
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

    public static AwsNetwork create(Ec2Client ec2, ElasticLoadBalancingV2Client elb, Region region) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24")
                .availabilityZone(region.id() + "a")).subnet().subnetId();
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("relay-nlb-" + suffix)
                .description("relay-link NLB")).groupId();
        String nlb = elb.createLoadBalancer(r -> r.name("relay-" + suffix).type(LoadBalancerTypeEnum.NETWORK)
                .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(subnet).securityGroups(group))
                .loadBalancers().get(0).loadBalancerArn();
        String targetGroup = elb.createTargetGroup(r -> r.name("relay-gw-" + suffix).protocol(ProtocolEnum.TCP)
                .port(10443).vpcId(vpc).targetType(TargetTypeEnum.IP)).targetGroups().get(0).targetGroupArn();
        return new AwsNetwork(vpc, subnet, group, nlb, targetGroup, suffix);
    }
}
