package dev.relaylink.azure.adapter;

import com.azure.core.exception.HttpResponseException;
import com.azure.resourcemanager.network.fluent.PrivateLinkServicesClient;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointConnectionInner;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnectionState;
import com.azure.resourcemanager.resources.fluentcore.arm.ResourceId;
import dev.relaylink.port.PrivateLinkServicePort;
import dev.relaylink.state.PrivateEndpointConnection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Private Link Service's private endpoint connections through ARM. A connection names only its
 * private endpoint; the endpoint's subscription comes from that resource id, its VNet from the
 * endpoint's subnet and its IP from the endpoint's network interface, both read from the endpoint
 * (in its own subscription). When relay-link may not read the endpoint (another tenant or a
 * subscription it has no role in), VNet and IP stay empty: nothing in the spec can allow an empty VNet.
 */
public final class ArmPrivateLinkService implements PrivateLinkServicePort {
    private static final Logger LOG = LoggerFactory.getLogger(ArmPrivateLinkService.class);

    private final AzureClients clients;
    private final String resourceGroup;
    private final String serviceName;
    private final PrivateLinkServicesClient services;

    public ArmPrivateLinkService(AzureClients clients, String subscriptionId, String resourceGroup, String privateLinkService) {
        this.clients = clients;
        this.resourceGroup = resourceGroup;
        this.serviceName = privateLinkService;
        this.services = clients.network(subscriptionId).serviceClient().getPrivateLinkServices();
    }

    @Override
    public List<PrivateEndpointConnection> connections() {
        return StreamSupport.stream(services.listPrivateEndpointConnections(resourceGroup, serviceName).spliterator(), false)
                .map(this::toState)
                .collect(Collectors.toList());
    }

    @Override
    public Optional<PrivateEndpointConnection> connection(String name) {
        return read(name).map(this::toState);
    }

    @Override
    public void approve(String name, String description) {
        setStatus(name, PrivateEndpointConnection.APPROVED, description);
    }

    @Override
    public void reject(String name, String description) {
        setStatus(name, PrivateEndpointConnection.REJECTED, description);
    }

    private void setStatus(String name, String status, String description) {
        // Read-modify-write, as the portal does: the PUT carries the connection as ARM has it.
        PrivateEndpointConnectionInner connection = read(name).orElseThrow(() -> new IllegalArgumentException(
                "private endpoint connection " + name + " does not exist on Private Link Service " + serviceName));
        connection.withPrivateLinkServiceConnectionState(new PrivateLinkServiceConnectionState()
                .withStatus(status).withDescription(description).withActionsRequired("None"));
        services.updatePrivateEndpointConnection(resourceGroup, serviceName, name, connection);
        LOG.info("private endpoint connection {} on {} set to {}: {}", name, serviceName, status, description);
    }

    private Optional<PrivateEndpointConnectionInner> read(String name) {
        try {
            return Optional.of(services.getPrivateEndpointConnection(resourceGroup, serviceName, name));
        } catch (HttpResponseException e) {
            if (status(e) == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private PrivateEndpointConnection toState(PrivateEndpointConnectionInner connection) {
        String endpointId = connection.privateEndpoint() == null ? "" : nullToEmpty(connection.privateEndpoint().id());
        String subscription = parse(endpointId).map(ResourceId::subscriptionId).orElse("");
        String vnet = "";
        String ip = "";
        Optional<PrivateEndpointInner> endpoint = readEndpoint(endpointId);
        if (endpoint.isPresent()) {
            if (endpoint.get().subnet() != null) {
                vnet = parse(endpoint.get().subnet().id()).map(subnet -> subnet.parent().id()).orElse("");
            }
            ip = privateIp(endpoint.get());
        }
        String status = connection.privateLinkServiceConnectionState() == null ? ""
                : nullToEmpty(connection.privateLinkServiceConnectionState().status());
        return new PrivateEndpointConnection(connection.name(), endpointId, subscription, vnet, status, ip);
    }

    private Optional<PrivateEndpointInner> readEndpoint(String endpointId) {
        Optional<ResourceId> id = parse(endpointId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(clients.network(id.get().subscriptionId()).serviceClient().getPrivateEndpoints()
                    .getByResourceGroup(id.get().resourceGroupName(), id.get().name()));
        } catch (HttpResponseException e) {
            if (status(e) == 403 || status(e) == 404) {
                LOG.info("cannot read private endpoint {} (HTTP {}): its VNet and IP stay unknown", endpointId, status(e));
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The IP the endpoint's network interface got in the requesting VNet. */
    private String privateIp(PrivateEndpointInner endpoint) {
        if (endpoint.networkInterfaces() == null || endpoint.networkInterfaces().isEmpty()) {
            return "";
        }
        Optional<ResourceId> nicId = parse(endpoint.networkInterfaces().get(0).id());
        if (nicId.isEmpty()) {
            return "";
        }
        try {
            NetworkInterfaceInner nic = clients.network(nicId.get().subscriptionId()).serviceClient().getNetworkInterfaces()
                    .getByResourceGroup(nicId.get().resourceGroupName(), nicId.get().name());
            return nic.ipConfigurations() == null || nic.ipConfigurations().isEmpty() ? ""
                    : nullToEmpty(nic.ipConfigurations().get(0).privateIpAddress());
        } catch (HttpResponseException e) {
            if (status(e) == 403 || status(e) == 404) {
                LOG.info("cannot read network interface {} (HTTP {}): the endpoint's IP stays unknown", nicId.get().id(), status(e));
                return "";
            }
            throw e;
        }
    }

    private static Optional<ResourceId> parse(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ResourceId.fromString(id));
        } catch (IllegalArgumentException e) {
            LOG.warn("not an ARM resource id: {}", id);
            return Optional.empty();
        }
    }

    private static int status(HttpResponseException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
