package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.aws.AwsLink;
import dev.relaylink.aws.handler.EventBridgeEnvelope.Refused;
import dev.relaylink.plan.Concern;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Endpoint service drift: a CloudTrail-recorded EC2 call on an endpoint service makes relay-link
 * restore the spec (acceptance required, exactly the allowed principals, exactly the link's NLB),
 * recreate the service if it was deleted, and reject connections a widened allow-list let in.
 */
public final class EndpointServiceDriftHandler extends LinkHandler {
    static final Set<Concern> CONCERNS = EnumSet.of(Concern.ENDPOINT_SERVICE, Concern.ENDPOINT_CONNECTIONS);
    /** The EC2 calls that change an endpoint service or who may use it; template.yaml's pattern lists the same. */
    public static final Set<String> CALLS = Set.of(
            "CreateVpcEndpointServiceConfiguration", "ModifyVpcEndpointServiceConfiguration",
            "DeleteVpcEndpointServiceConfigurations", "ModifyVpcEndpointServicePermissions",
            "AcceptVpcEndpointConnections", "RejectVpcEndpointConnections");

    public EndpointServiceDriftHandler() {
        super(CONCERNS);
    }

    public EndpointServiceDriftHandler(AwsLink link) {
        super(link, CONCERNS);
    }

    @Override
    Decision decide(AwsLink link, JsonNode event, Context context) throws Refused {
        EventBridgeEnvelope envelope = EventBridgeEnvelope.check(event, link.spec(),
                Map.of("aws.ec2", Set.of(EventBridgeEnvelope.CLOUDTRAIL)));
        envelope.cloudTrailCall("ec2.amazonaws.com", CALLS);
        return Decision.reconcile(envelope.id(), CONCERNS);
    }
}
