package dev.relaylink.azure.function;

import dev.relaylink.event.EventOrigin;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.spec.LinkSpec;

/**
 * A checked {@code Microsoft.Resources.ResourceWriteSuccess} event about a private endpoint
 * connection on the link's Private Link Service. It names the connection only: ARM does not put
 * the connection's state into the event, so the function reads it.
 */
public record PrivateEndpointWrite(String eventId, PrivateEndpointConnectionId connection) {

    public static final String EVENT_TYPE = "Microsoft.Resources.ResourceWriteSuccess";
    public static final String OPERATION = "Microsoft.Network/privateLinkServices/privateEndpointConnections/write";

    public static PrivateEndpointWrite of(EventEnvelope event, LinkSpec spec) throws RefusedEvent {
        if (!EVENT_TYPE.equals(event.type())) {
            throw new RefusedEvent("event type '" + event.type() + "' is not " + EVENT_TYPE);
        }
        String operation = event.dataText("operationName");
        if (!OPERATION.equalsIgnoreCase(operation)) {
            throw new RefusedEvent("operation '" + operation + "' is not " + OPERATION);
        }
        // resourceUri is the documented field; the subject carries the same id in both envelopes.
        String resource = event.dataField("resourceUri").isPresent() ? event.dataText("resourceUri") : event.subject();
        PrivateEndpointConnectionId id = PrivateEndpointConnectionId.parse(resource);
        EventOrigin.requireAzure("connection " + id.connection(), id.subscriptionId(), id.resourceGroup(), spec);
        LinkSpec.Azure azure = spec.azure();
        if (!id.isOn(azure.subscriptionId(), azure.resourceGroup(), azure.privateLinkService())) {
            throw new RefusedEvent("connection " + id.connection() + " is on Private Link Service " + id.privateLinkService()
                    + " in resource group " + id.resourceGroup() + " of subscription " + id.subscriptionId()
                    + ", not the link's " + azure.privateLinkService() + " in " + azure.resourceGroup() + " of " + azure.subscriptionId());
        }
        return new PrivateEndpointWrite(event.id(), id);
    }
}
