package dev.relaylink.azure.function;

import dev.relaylink.event.RefusedEvent;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ARM id of one private endpoint connection on a Private Link Service:
 * {@code /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/privateLinkServices/{pls}/privateEndpointConnections/{name}}.
 * ARM treats the fixed segments and resource group names case-insensitively, and so does this.
 */
public record PrivateEndpointConnectionId(String subscriptionId, String resourceGroup, String privateLinkService, String connection) {

    private static final Pattern FORM = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/privateLinkServices/([^/]+)"
                    + "/privateEndpointConnections/([^/]+)/?",
            Pattern.CASE_INSENSITIVE);

    public static PrivateEndpointConnectionId parse(String resourceId) throws RefusedEvent {
        Matcher m = FORM.matcher(resourceId == null ? "" : resourceId);
        if (!m.matches()) {
            throw new RefusedEvent("'" + resourceId + "' is not a private endpoint connection of a Private Link Service");
        }
        return new PrivateEndpointConnectionId(m.group(1), m.group(2), m.group(3), m.group(4));
    }

    /** True when this connection belongs to the named Private Link Service (subscription, resource group, name). */
    public boolean isOn(String subscription, String group, String service) {
        return subscriptionId.equalsIgnoreCase(subscription)
                && resourceGroup.toLowerCase(Locale.ROOT).equals(group.toLowerCase(Locale.ROOT))
                && privateLinkService.equalsIgnoreCase(service);
    }
}
