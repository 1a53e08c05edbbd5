package dev.relaylink.aws.adapter;

import dev.relaylink.policy.ConnectionBatches;
import dev.relaylink.port.EndpointServicePort;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedPrincipal;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.ServiceState;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;

/** The link's PrivateLink endpoint service through the EC2 API. */
public final class Ec2EndpointService implements EndpointServicePort {
    /** The tag that names the link on the endpoint service, so a recreated service is found again. */
    public static final String LINK_TAG = "relay-link:link";
    private static final Set<ServiceState> GONE = Set.of(ServiceState.DELETING, ServiceState.DELETED, ServiceState.FAILED);

    private final Ec2Client ec2;

    public Ec2EndpointService(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public Optional<EndpointServiceState> describe(String linkName, String loadBalancerArn) {
        List<ServiceConfiguration> live = ec2.describeVpcEndpointServiceConfigurationsPaginator(r -> r.maxResults(100))
                .serviceConfigurations().stream()
                .filter(c -> !GONE.contains(c.serviceState()))
                .toList();
        // The tag wins: it still finds the service after someone swapped its load balancer.
        Optional<ServiceConfiguration> found = live.stream().filter(c -> taggedWith(c, linkName)).findFirst()
                .or(() -> live.stream().filter(c -> c.networkLoadBalancerArns().contains(loadBalancerArn)).findFirst());
        return found.map(c -> new EndpointServiceState(c.serviceId(), c.serviceName(), Boolean.TRUE.equals(c.acceptanceRequired()),
                allowedPrincipals(c.serviceId()), new HashSet<>(c.networkLoadBalancerArns())));
    }

    @Override
    public String create(String linkName, String loadBalancerArn) {
        return ec2.createVpcEndpointServiceConfiguration(r -> r
                        .acceptanceRequired(true)
                        .networkLoadBalancerArns(loadBalancerArn)
                        .tagSpecifications(TagSpecification.builder()
                                .resourceType(ResourceType.VPC_ENDPOINT_SERVICE)
                                .tags(Tag.builder().key(LINK_TAG).value(linkName).build())
                                .build())
                        // one token per call: the SDK's own retries of this request stay idempotent
                        .clientToken(UUID.randomUUID().toString()))
                .serviceConfiguration().serviceId();
    }

    @Override
    public void requireAcceptance(String serviceId) {
        ec2.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(serviceId).acceptanceRequired(true));
    }

    @Override
    public void replaceLoadBalancers(String serviceId, String add, Set<String> remove) {
        ec2.modifyVpcEndpointServiceConfiguration(r -> {
            r.serviceId(serviceId).addNetworkLoadBalancerArns(add);
            if (!remove.isEmpty()) {
                r.removeNetworkLoadBalancerArns(remove);
            }
        });
    }

    @Override
    public void modifyPermissions(String serviceId, Set<String> addPrincipals, Set<String> removePrincipals) {
        if (addPrincipals.isEmpty() && removePrincipals.isEmpty()) {
            return;
        }
        ec2.modifyVpcEndpointServicePermissions(r -> {
            r.serviceId(serviceId);
            if (!addPrincipals.isEmpty()) {
                r.addAllowedPrincipals(addPrincipals);
            }
            if (!removePrincipals.isEmpty()) {
                r.removeAllowedPrincipals(removePrincipals);
            }
        });
    }

    @Override
    public List<EndpointConnection> connections(String serviceId) {
        return ec2.describeVpcEndpointConnectionsPaginator(r -> r
                        .filters(Filter.builder().name("service-id").values(serviceId).build())
                        .maxResults(1000))
                .vpcEndpointConnections().stream()
                .map(c -> new EndpointConnection(c.vpcEndpointId(), c.vpcEndpointOwner(), c.vpcEndpointStateAsString()))
                .toList();
    }

    @Override
    public void accept(String serviceId, List<String> vpcEndpointIds) {
        inBatches("accept", serviceId, vpcEndpointIds, (service, ids) ->
                ec2.acceptVpcEndpointConnections(r -> r.serviceId(service).vpcEndpointIds(ids)).unsuccessful());
    }

    @Override
    public void reject(String serviceId, List<String> vpcEndpointIds) {
        inBatches("reject", serviceId, vpcEndpointIds, (service, ids) ->
                ec2.rejectVpcEndpointConnections(r -> r.serviceId(service).vpcEndpointIds(ids)).unsuccessful());
    }

    /** Sends every batch, then fails with each endpoint EC2 refused, so the retry sees all of them. */
    private static void inBatches(String verb, String serviceId, List<String> ids,
                                  BiFunction<String, List<String>, List<UnsuccessfulItem>> call) {
        List<String> refused = new ArrayList<>();
        for (List<String> batch : ConnectionBatches.split(ids, ConnectionBatches.PER_CALL)) {
            for (UnsuccessfulItem item : call.apply(serviceId, batch)) {
                refused.add(item.resourceId() + " (" + (item.error() == null ? "no reason given"
                        : item.error().code() + ": " + item.error().message()) + ")");
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException("EC2 did not " + verb + " " + refused.size() + " endpoint connection(s) of "
                    + serviceId + ": " + String.join(", ", refused));
        }
    }

    private Set<String> allowedPrincipals(String serviceId) {
        return ec2.describeVpcEndpointServicePermissionsPaginator(r -> r.serviceId(serviceId).maxResults(1000))
                .allowedPrincipals().stream()
                .map(AllowedPrincipal::principal)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static boolean taggedWith(ServiceConfiguration configuration, String linkName) {
        Collection<Tag> tags = configuration.tags();
        return tags.stream().anyMatch(t -> LINK_TAG.equals(t.key()) && linkName.equals(t.value()));
    }
}
