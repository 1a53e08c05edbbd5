package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.plan.Concern;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Endpoint service drift: a CloudTrail-recorded EC2 call on an endpoint service makes relay-link
 * restore the spec (acceptance required, exactly the allowed principals, exactly the link's NLB),
 * recreate the service if it was deleted, and reject connections a widened allow-list let in. A call
 * on another endpoint service (the rule cannot filter on an id made at run time) is refused.
 */
public final class EndpointServiceDriftHandler extends LinkHandler {
    static final Set<Concern> CONCERNS = EnumSet.of(Concern.ENDPOINT_SERVICE, Concern.ENDPOINT_CONNECTIONS);
    /** The EC2 calls that change an endpoint service or who may use it; template.yaml's pattern lists the same. */
    public static final Set<String> CALLS = Set.of(
            "CreateVpcEndpointServiceConfiguration", "ModifyVpcEndpointServiceConfiguration",
            "DeleteVpcEndpointServiceConfigurations", "ModifyVpcEndpointServicePermissions",
            "AcceptVpcEndpointConnections", "RejectVpcEndpointConnections");
    private static final String CREATE = "CreateVpcEndpointServiceConfiguration";
    private static final Pattern SERVICE_ID = Pattern.compile("vpce-svc-[0-9a-f]{8,17}");
    private static final Pattern LOAD_BALANCER = Pattern.compile("arn:aws[a-z-]*:elasticloadbalancing:.+:loadbalancer/.+");

    public EndpointServiceDriftHandler() {
        super(CONCERNS);
    }

    public EndpointServiceDriftHandler(AwsFunctions link) {
        super(link, CONCERNS);
    }

    @Override
    Decision decide(AwsFunctions link, JsonNode event, Context context) throws RefusedEvent {
        EventBridgeEnvelope envelope = EventBridgeEnvelope.check(event, link.spec(),
                Map.of("aws.ec2", Set.of(EventBridgeEnvelope.CLOUDTRAIL)));
        String call = envelope.cloudTrailCall("ec2.amazonaws.com", CALLS);
        if (call.equals(CREATE)) {
            // A new service matters only when it fronts the link's NLB (a second service for it).
            Set<String> balancers = envelope.requestValues(LOAD_BALANCER);
            if (!balancers.contains(link.spec().aws().nlb().loadBalancerArn())) {
                throw new RefusedEvent(envelope.id(), "the new endpoint service fronts " + (balancers.isEmpty() ? "no named NLB" : balancers)
                        + ", not the link's " + link.spec().aws().nlb().loadBalancerArn());
            }
            return Decision.reconcile(envelope.id(), CONCERNS);
        }
        Set<String> named = envelope.requestValues(SERVICE_ID);
        if (named.isEmpty()) {
            throw new RefusedEvent(envelope.id(), "the CloudTrail record names no endpoint service id");
        }
        // Known ids come from RELAY_ENDPOINT_SERVICE_ID or an earlier look; a container with neither looks once (a read).
        Set<String> known = link.endpointServiceIds();
        // No service of the link exists (deleted, or never made): any deletion may have been it, and a reconcile is due anyway.
        if (!known.isEmpty() && named.stream().noneMatch(known::contains)) {
            throw new RefusedEvent(envelope.id(), "the call is on endpoint service " + String.join(", ", named) + ", not the link's " + known);
        }
        return Decision.reconcile(envelope.id(), CONCERNS);
    }
}
