package dev.relaylink.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.state.Target;
import dev.relaylink.testing.MockCluster;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesGatewayEndpointsTest {
    private static final String NS = "envoy-gateway-system";
    private static final String SERVICE = "envoy-relay-gateway";

    private MockCluster cluster;
    private KubernetesGatewayEndpoints endpoints;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        endpoints = new KubernetesGatewayEndpoints(cluster.client);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void service(String name, ServicePort... ports) {
        cluster.client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPorts(ports).endSpec().build()).create();
    }

    private static ServicePort port(String name, int port, int targetPort) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP")
                .withNewTargetPort(targetPort).build();
    }

    private void slice(String name, String service, String addressType, String portName, int port, Endpoint... members) {
        cluster.client.discovery().v1().endpointSlices().inNamespace(NS).resource(new EndpointSliceBuilder()
                .withNewMetadata().withName(name).addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType(addressType)
                .addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort()
                .withEndpoints(members).build()).create();
    }

    private static Endpoint endpoint(Boolean ready, String... addresses) {
        EndpointBuilder builder = new EndpointBuilder().withAddresses(addresses);
        if (ready != null) {
            builder.withNewConditions().withReady(ready).withTerminating(!ready).endConditions();
        }
        return builder.build();
    }

    @Test
    void onlyReadyEndpointsOfTheGatewayServiceWithThePodPort() {
        service(SERVICE, port("https", 443, 10443), port("http", 80, 10080));
        slice("gw-a", SERVICE, "IPv4", "https", 10443,
                endpoint(true, "10.0.1.1"), endpoint(null, "10.0.1.2"), endpoint(false, "10.0.1.3"));
        slice("gw-b", SERVICE, "IPv4", "https", 10443, endpoint(true, "10.0.2.1"), endpoint(true, "10.0.1.1"));
        slice("gw-http", SERVICE, "IPv4", "http", 10080, endpoint(true, "10.0.9.9"));
        slice("gw-fqdn", SERVICE, "FQDN", "https", 10443, endpoint(true, "gw.example.internal"));
        slice("other", "some-other-service", "IPv4", "https", 10443, endpoint(true, "10.0.7.7"));

        assertThat(endpoints.ready(NS, SERVICE, 443)).containsExactly(
                new Target("10.0.1.1", 10443), new Target("10.0.1.2", 10443), new Target("10.0.2.1", 10443));
        assertThat(endpoints.ready(NS, SERVICE, 80)).containsExactly(new Target("10.0.9.9", 10080));
    }

    @Test
    void anUnnamedSinglePortServiceAndNoReadyPodGiveTheTruth() {
        service(SERVICE, new ServicePortBuilder().withPort(443).withNewTargetPort(8443).build());
        slice("gw-a", SERVICE, "IPv4", null, 8443, endpoint(true, "10.0.1.1"));
        assertThat(endpoints.ready(NS, SERVICE, 443)).containsExactly(new Target("10.0.1.1", 8443));

        cluster.client.discovery().v1().endpointSlices().inNamespace(NS).withName("gw-a")
                .edit(s -> { s.setEndpoints(List.of(endpoint(false, "10.0.1.1"))); return s; });
        assertThat(endpoints.ready(NS, SERVICE, 443)).isEmpty();
    }

    @Test
    void aMissingServiceOrPortIsAnErrorNotAnEmptyTargetGroup() {
        assertThatThrownBy(() -> endpoints.ready(NS, SERVICE, 443))
                .isInstanceOf(ClusterException.class).hasMessageContaining("Service envoy-gateway-system/envoy-relay-gateway not found");
        service(SERVICE, port("http", 80, 10080));
        assertThatThrownBy(() -> endpoints.ready(NS, SERVICE, 443))
                .isInstanceOf(ClusterException.class).hasMessageContaining("has no port 443; it exposes [80]");
    }
}
