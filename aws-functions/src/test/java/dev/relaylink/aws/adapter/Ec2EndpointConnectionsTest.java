package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.aws.testing.Ec2ConnectionStub;
import dev.relaylink.state.EndpointConnection;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Describe/Accept/Reject endpoint connections: the real EC2 client (marshaller, paginator,
 * unmarshaller) against a stub that answers in EC2's wire format, because the emulator lacks them.
 */
class Ec2EndpointConnectionsTest {
    private static final String SERVICE = "vpce-svc-0123456789abcdef0";
    private static final String OTHER_SERVICE = "vpce-svc-0fedcba9876543210";

    private Ec2ConnectionStub stub;
    private Ec2Client ec2;
    private Ec2EndpointService service;

    @BeforeEach
    void setUp() throws Exception {
        stub = Ec2ConnectionStub.start(Optional.empty(), 100);
        ec2 = client(stub.endpoint());
        service = new Ec2EndpointService(ec2);
    }

    @AfterEach
    void tearDown() {
        ec2.close();
        stub.close();
    }

    @Test
    void listsEveryConnectionOfTheServiceAcrossPages() {
        IntStream.range(0, 250).forEach(i -> stub.connect(SERVICE, endpoint(i), "444455556666"));
        stub.connect(OTHER_SERVICE, "vpce-0000000000000other", "999999999999");

        List<EndpointConnection> connections = service.connections(SERVICE);

        assertThat(connections).hasSize(250).allMatch(EndpointConnection::isPending)
                .allMatch(c -> c.owner().equals("444455556666"));
        assertThat(connections.get(0)).isEqualTo(new EndpointConnection(endpoint(0), "444455556666", "pendingAcceptance"));
        assertThat(stub.actions()).containsOnly("DescribeVpcEndpointConnections").hasSize(3);
    }

    @Test
    void acceptsInBatchesAndTheConnectionsBecomeAvailable() {
        List<String> ids = IntStream.range(0, 230).mapToObj(Ec2EndpointConnectionsTest::endpoint).toList();
        ids.forEach(id -> stub.connect(SERVICE, id, "444455556666"));

        service.accept(SERVICE, ids);

        assertThat(stub.calls()).extracting(c -> c.vpcEndpointIds().size()).containsExactly(100, 100, 30);
        assertThat(stub.calls()).allMatch(c -> c.action().equals("AcceptVpcEndpointConnections") && c.serviceId().equals(SERVICE));
        assertThat(service.connections(SERVICE)).extracting(EndpointConnection::state).containsOnly("available");
    }

    @Test
    void rejectsAndTheConnectionIsRejected() {
        stub.connect(SERVICE, endpoint(1), "999999999999");
        stub.connect(SERVICE, endpoint(2), "444455556666");

        service.reject(SERVICE, List.of(endpoint(1)));

        assertThat(stub.state(endpoint(1))).isEqualTo("rejected");
        assertThat(stub.state(endpoint(2))).isEqualTo("pendingAcceptance");
    }

    @Test
    void reportsEveryEndpointEc2RefusedAfterSendingAllBatches() {
        stub.connect(SERVICE, endpoint(1), "444455556666");
        stub.connect(SERVICE, endpoint(2), "444455556666");
        service.accept(SERVICE, List.of(endpoint(2)));

        assertThatThrownBy(() -> service.accept(SERVICE, List.of(endpoint(1), endpoint(2), "vpce-0000000000000gone")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not accept 2 endpoint connection(s) of " + SERVICE)
                .hasMessageContaining(endpoint(2) + " (InvalidState")
                .hasMessageContaining("vpce-0000000000000gone (InvalidVpcEndpointId.NotFound");
        assertThat(stub.state(endpoint(1))).isEqualTo("available");
    }

    @Test
    void sendsNothingForAnEmptyList() {
        service.accept(SERVICE, List.of());
        service.reject(SERVICE, List.of());

        assertThat(stub.actions()).isEmpty();
    }

    private static String endpoint(int i) {
        return String.format("vpce-%017x", i);
    }

    private static Ec2Client client(URI endpoint) {
        return Ec2Client.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
