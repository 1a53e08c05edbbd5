package dev.relaylink.azure.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.azure.fake.ArmFake;
import dev.relaylink.azure.fake.AzureFake.RecordedRequest;
import dev.relaylink.state.PrivateEndpointConnection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArmPrivateLinkServiceTest {
    private static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
    private static final String STRANGER_SUBSCRIPTION = "99999999-0000-0000-0000-000000000009";
    private static final String AKS_VNET = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/aks-rg/providers/Microsoft.Network/virtualNetworks/aks-vnet";
    private static final String STRANGER_VNET = "/subscriptions/" + STRANGER_SUBSCRIPTION + "/resourceGroups/x/providers/Microsoft.Network/virtualNetworks/x";

    private final FakeAzure azure = new FakeAzure();
    private final ArmFake arm = azure.fake.arm();
    private final String plsId = arm.privateLinkService(SUBSCRIPTION, "relay-link-rg", "relay-forwarder-pls");
    private final String aksEndpoint = arm.privateEndpoint(SUBSCRIPTION, "aks-rg", "relay-pe", AKS_VNET, "10.240.0.7");
    private final String strangerEndpoint = arm.privateEndpoint(STRANGER_SUBSCRIPTION, "x", "sneaky-pe", STRANGER_VNET, "192.168.1.9");
    private final String aksConnection = arm.requestConnection(plsId, "relay-pe.1111", aksEndpoint);
    private final String strangerConnection = arm.requestConnection(plsId, "sneaky-pe.2222", strangerEndpoint);
    private final ArmPrivateLinkService service = new ArmPrivateLinkService(azure.clients, SUBSCRIPTION, "relay-link-rg", "relay-forwarder-pls");

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void connectionsCarryTheRequestingSubscriptionVnetAndIp() {
        assertThat(service.connections()).containsExactlyInAnyOrder(
                new PrivateEndpointConnection("relay-pe.1111", aksEndpoint, SUBSCRIPTION, AKS_VNET, "Pending", "10.240.0.7"),
                new PrivateEndpointConnection("sneaky-pe.2222", strangerEndpoint, STRANGER_SUBSCRIPTION, STRANGER_VNET, "Pending", "192.168.1.9"));
    }

    @Test
    void anEndpointRelayLinkMayNotReadHasItsSubscriptionButNoVnetOrIp() {
        arm.denyAccess(STRANGER_SUBSCRIPTION);

        assertThat(service.connection("sneaky-pe.2222")).contains(
                new PrivateEndpointConnection("sneaky-pe.2222", strangerEndpoint, STRANGER_SUBSCRIPTION, "", "Pending", ""));
    }

    @Test
    void approveSetsTheConnectionStateInArm() {
        service.approve("relay-pe.1111", "allowed by relay-link: subscription and VNet are in the link spec");

        assertThat(arm.connectionState(aksConnection).path("status").asText()).isEqualTo("Approved");
        assertThat(arm.connectionState(aksConnection).path("description").asText()).startsWith("allowed by relay-link");
        assertThat(arm.connectionState(strangerConnection).path("status").asText()).isEqualTo("Pending");
        assertThat(service.connection("relay-pe.1111").orElseThrow().is(PrivateEndpointConnection.APPROVED)).isTrue();
        // The PUT carried the connection as ARM had it: its private endpoint is unchanged.
        assertThat(arm.get(aksConnection).orElseThrow().path("properties").path("privateEndpoint").path("id").asText()).isEqualTo(aksEndpoint);
    }

    @Test
    void rejectSetsTheStateAndTheReason() {
        service.reject("sneaky-pe.2222", "subscription " + STRANGER_SUBSCRIPTION + " is not allowed");

        assertThat(arm.connectionState(strangerConnection).path("status").asText()).isEqualTo("Rejected");
        assertThat(arm.connectionState(strangerConnection).path("description").asText()).contains(STRANGER_SUBSCRIPTION);
        assertThat(arm.connectionState(aksConnection).path("status").asText()).isEqualTo("Pending");
        assertThat(arm.writes()).isEqualTo(1);
    }

    @Test
    void anUnknownConnectionIsEmptyAndCannotBeApproved() {
        assertThat(service.connection("nobody.3333")).isEmpty();
        assertThatThrownBy(() -> service.approve("nobody.3333", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody.3333 does not exist");
        assertThat(arm.writes()).isZero();
    }

    @Test
    void armRequestsCarryAManagementToken() {
        service.connections();

        assertThat(azure.fake.requests()).isNotEmpty().allMatch(RecordedRequest::bearer);
        assertThat(azure.credential.requests()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.scopes()).singleElement().asString().startsWith("https://management.core.windows.net/"));
    }

    @Test
    void theAdaptersShareOneJdkHttpClientAndNettyIsNotOnTheClasspath() {
        assertThat(azure.clients.httpClient().getClass().getName()).isEqualTo("com.azure.core.http.jdk.httpclient.JdkHttpClient");
        assertThatThrownBy(() -> Class.forName("com.azure.core.http.netty.NettyAsyncHttpClient")).isInstanceOf(ClassNotFoundException.class);
        assertThat(azure.clients.network(SUBSCRIPTION).httpPipeline().getHttpClient()).isSameAs(azure.clients.httpClient());
        assertThat(azure.clients.privateDns(SUBSCRIPTION).httpPipeline().getHttpClient()).isSameAs(azure.clients.httpClient());
        assertThat(List.of(azure.clients.keys(azure.fake.vaultUrl()), azure.clients.secrets(azure.fake.vaultUrl())))
                .hasSize(2); // built from the same AzureClients, hence the same HttpClient
    }
}
