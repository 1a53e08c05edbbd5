package dev.relaylink.azure.fake;

import static dev.relaylink.azure.fake.AzureFake.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.azure.fake.AzureFake.Request;
import dev.relaylink.azure.fake.AzureFake.Response;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure Resource Manager for the resources relay-link touches: a Private Link Service and its
 * private endpoint connections (GET, list, PUT of {@code privateLinkServiceConnectionState}),
 * private endpoints and their network interfaces (GET), and private DNS zones with A record sets
 * (GET, PUT). Resource ids match case-insensitively, as in ARM. The PUTs relay-link makes are
 * synchronous in ARM too (200 with the final body); nothing here is a long-running operation.
 * Tests seed resources with the methods below and may deny reads in a subscription to stand for
 * one relay-link's identity has no role in.
 */
public final class ArmFake {
    private static final String NETWORK = "/providers/Microsoft.Network/";
    private static final Set<String> SETTABLE_STATUSES = Set.of("Approved", "Rejected", "Pending");
    private static final Pattern CONNECTIONS = Pattern.compile("(/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\\.network/privatelinkservices/[^/]+)/privateendpointconnections");
    private static final Pattern CONNECTION = Pattern.compile(CONNECTIONS.pattern() + "/[^/]+");
    private static final Pattern RECORD_SET = Pattern.compile("(/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\\.network/privatednszones/([^/]+))/a/([^/]+)");
    private static final Pattern SUBSCRIPTION = Pattern.compile("/subscriptions/([^/]+)/.*");

    private final Map<String, ObjectNode> resources = new LinkedHashMap<>();
    private final Set<String> deniedSubscriptions = new HashSet<>();
    private int writes;

    ArmFake() {
    }

    // ----- what tests seed and read -----

    public synchronized String privateLinkService(String subscriptionId, String resourceGroup, String name) {
        String id = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + NETWORK + "privateLinkServices/" + name;
        ObjectNode pls = resource(id, name, "Microsoft.Network/privateLinkServices");
        pls.withObjectProperty("properties").put("alias", name + "." + UUID.randomUUID() + ".westeurope.azure.privatelinkservice");
        put(id, pls);
        return id;
    }

    /** A private endpoint in subnet {@code default} of {@code vnetId}, with a network interface holding {@code privateIp}. */
    public synchronized String privateEndpoint(String subscriptionId, String resourceGroup, String name, String vnetId, String privateIp) {
        String prefix = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + NETWORK;
        String subnetId = vnetId + "/subnets/default";
        String nicId = prefix + "networkInterfaces/" + name + ".nic." + UUID.randomUUID();
        ObjectNode nic = resource(nicId, nicId.substring(nicId.lastIndexOf('/') + 1), "Microsoft.Network/networkInterfaces");
        ObjectNode ipConfiguration = nic.withObjectProperty("properties").putArray("ipConfigurations").addObject();
        ipConfiguration.put("id", nicId + "/ipConfigurations/privateEndpointIpConfig." + UUID.randomUUID());
        ipConfiguration.put("name", "privateEndpointIpConfig");
        ipConfiguration.putObject("properties").put("privateIPAddress", privateIp).put("privateIPAllocationMethod", "Dynamic")
                .put("primary", true).put("provisioningState", "Succeeded").putObject("subnet").put("id", subnetId);
        put(nicId, nic);

        String id = prefix + "privateEndpoints/" + name;
        ObjectNode endpoint = resource(id, name, "Microsoft.Network/privateEndpoints");
        ObjectNode properties = endpoint.withObjectProperty("properties");
        properties.putObject("subnet").put("id", subnetId);
        properties.putArray("networkInterfaces").addObject().put("id", nicId);
        properties.putArray("customDnsConfigs");
        put(id, endpoint);
        return id;
    }

    /** What a consumer's private endpoint creation leaves on the service: a Pending connection. */
    public synchronized String requestConnection(String privateLinkServiceId, String connectionName, String privateEndpointId) {
        String id = privateLinkServiceId + "/privateEndpointConnections/" + connectionName;
        ObjectNode connection = resource(id, connectionName, "Microsoft.Network/privateLinkServices/privateEndpointConnections");
        connection.remove("location");
        ObjectNode properties = connection.withObjectProperty("properties");
        properties.putObject("privateEndpoint").put("id", privateEndpointId);
        properties.putObject("privateLinkServiceConnectionState")
                .put("status", "Pending").put("description", "Awaiting approval").put("actionsRequired", "None");
        properties.put("linkIdentifier", String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L)));
        properties.put("privateEndpointLocation", "westeurope");
        put(id, connection);
        return id;
    }

    public synchronized String privateDnsZone(String subscriptionId, String resourceGroup, String zone) {
        String id = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + NETWORK + "privateDnsZones/" + zone;
        ObjectNode resource = resource(id, zone, "Microsoft.Network/privateDnsZones");
        resource.put("location", "global");
        put(id, resource);
        return id;
    }

    /** Every request into this subscription answers 403 AuthorizationFailed. */
    public synchronized void denyAccess(String subscriptionId) {
        deniedSubscriptions.add(subscriptionId.toLowerCase(Locale.ROOT));
    }

    public synchronized Optional<JsonNode> get(String id) {
        return Optional.ofNullable(resources.get(key(id))).map(ObjectNode::deepCopy);
    }

    /** The connection's {@code privateLinkServiceConnectionState}. */
    public synchronized JsonNode connectionState(String connectionId) {
        return get(connectionId).orElseThrow().path("properties").path("privateLinkServiceConnectionState");
    }

    /** How many PUTs the fake accepted: tests check that a refused change wrote nothing. */
    public synchronized int writes() {
        return writes;
    }

    // ----- REST -----

    synchronized Response handle(Request request) {
        String path = key(request.path());
        Matcher subscription = SUBSCRIPTION.matcher(path);
        if (subscription.matches() && deniedSubscriptions.contains(subscription.group(1))) {
            return Response.error(403, "AuthorizationFailed", "The client does not have authorization to perform action over scope '"
                    + request.path() + "' or the scope is invalid.");
        }
        return switch (request.method()) {
            case "GET" -> get(request, path);
            case "PUT" -> put(request, path);
            default -> Response.error(400, "NotModelled", "The ARM fake does not model " + request.method() + " " + request.path() + ".");
        };
    }

    private Response get(Request request, String path) {
        Matcher list = CONNECTIONS.matcher(path);
        if (list.matches()) {
            if (!resources.containsKey(list.group(1))) {
                return notFound(request.path());
            }
            ObjectNode page = JSON.objectNode();
            page.set("value", connectionsOf(list.group(1)));
            return Response.ok(page);
        }
        ObjectNode resource = resources.get(path);
        if (resource == null) {
            return notFound(request.path());
        }
        ObjectNode body = resource.deepCopy();
        if (body.path("type").asText().equals("Microsoft.Network/privateLinkServices")) {
            body.withObjectProperty("properties").set("privateEndpointConnections", connectionsOf(path));
        }
        return Response.ok(body);
    }

    private Response put(Request request, String path) {
        if (CONNECTION.matcher(path).matches()) {
            return updateConnection(request, path);
        }
        Matcher recordSet = RECORD_SET.matcher(path);
        if (recordSet.matches()) {
            return putRecordSet(request, recordSet);
        }
        return Response.error(400, "NotModelled", "The ARM fake does not model PUT " + request.path() + ".");
    }

    private Response updateConnection(Request request, String path) {
        ObjectNode connection = resources.get(path);
        if (connection == null) {
            return notFound(request.path());
        }
        JsonNode wanted = request.body().path("properties").path("privateLinkServiceConnectionState");
        String status = wanted.path("status").asText();
        if (!SETTABLE_STATUSES.contains(status)) {
            return Response.error(400, "InvalidRequestFormat", "privateLinkServiceConnectionState.status must be one of "
                    + SETTABLE_STATUSES + "; got '" + status + "'.");
        }
        ObjectNode state = connection.withObjectProperty("properties").withObjectProperty("privateLinkServiceConnectionState");
        state.put("status", status);
        state.put("description", wanted.path("description").asText(""));
        state.put("actionsRequired", wanted.path("actionsRequired").asText("None"));
        connection.put("etag", etag());
        writes++;
        return Response.ok(connection.deepCopy());
    }

    private Response putRecordSet(Request request, Matcher match) {
        if (!resources.containsKey(match.group(1))) {
            return Response.error(404, "ParentResourceNotFound", "Can not perform requested operation on nested resource. Parent resource '"
                    + match.group(2) + "' not found.");
        }
        String path = match.group();
        boolean created = !resources.containsKey(path);
        String zone = resources.get(match.group(1)).path("name").asText();
        String name = request.path().substring(request.path().lastIndexOf('/') + 1);
        ObjectNode recordSet = resource(request.path(), name, "Microsoft.Network/privateDnsZones/A");
        recordSet.remove("location");
        ObjectNode properties = recordSet.withObjectProperty("properties");
        JsonNode given = request.body().path("properties");
        properties.put("ttl", given.path("ttl").asLong(3600));
        properties.put("fqdn", name + "." + zone + ".");
        properties.put("isAutoRegistered", false);
        ArrayNode records = properties.putArray("aRecords");
        for (JsonNode record : given.path("aRecords")) {
            records.addObject().put("ipv4Address", record.path("ipv4Address").asText());
        }
        if (given.has("metadata")) {
            properties.set("metadata", given.get("metadata"));
        }
        put(path, recordSet);
        writes++;
        return new Response(created ? 201 : 200, recordSet.deepCopy(), Map.of());
    }

    private ArrayNode connectionsOf(String privateLinkServiceKey) {
        ArrayNode connections = JSON.arrayNode();
        String prefix = privateLinkServiceKey + "/privateendpointconnections/";
        resources.forEach((key, resource) -> {
            if (key.startsWith(prefix)) {
                connections.add(resource.deepCopy());
            }
        });
        return connections;
    }

    private static ObjectNode resource(String id, String name, String type) {
        ObjectNode resource = JSON.objectNode();
        resource.put("id", id);
        resource.put("name", name);
        resource.put("type", type);
        resource.put("location", "westeurope");
        resource.put("etag", etag());
        resource.putObject("properties").put("provisioningState", "Succeeded");
        return resource;
    }

    private void put(String id, ObjectNode resource) {
        resources.put(key(id), resource);
    }

    private static Response notFound(String id) {
        return Response.error(404, "ResourceNotFound", "The Resource '" + id + "' was not found.");
    }

    private static String etag() {
        return "W/\"" + UUID.randomUUID() + "\"";
    }

    private static String key(String id) {
        String key = id.toLowerCase(Locale.ROOT);
        return key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    }
}
