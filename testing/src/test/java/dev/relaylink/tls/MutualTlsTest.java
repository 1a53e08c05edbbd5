package dev.relaylink.tls;

import dev.relaylink.testing.RelayClient;
import dev.relaylink.testing.RelayGateway;
import static dev.relaylink.testing.TestPki.RELAY_HOST;
import static dev.relaylink.testing.TestPki.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Credential;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.testing.TestPki;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real JSSE server and client on 127.0.0.1, TLS 1.3, with relay-link's certificates. */
class MutualTlsTest {
    private static final Instant NOW = Instant.now();
    private static final SpiffeId CHECKOUT = workload("payments", "checkout");
    private static final SpiffeId STRANGER = workload("payments", "reporting");

    private final TestPki pki = new TestPki(NOW);
    private RelayGateway gateway;

    @BeforeEach
    void startGateway() throws IOException {
        Credential server = pki.server(RELAY_HOST, NOW, Duration.ofDays(30));
        gateway = RelayGateway.start(MutualTls.serverContext(server, TrustBundle.of(pki.clientCa.certificate()), Set.of(CHECKOUT)));
    }

    @AfterEach
    void stopGateway() throws IOException {
        gateway.close();
    }

    private SSLContext clientTrustingServerCa(Credential client) {
        return MutualTls.clientContext(client, TrustBundle.of(pki.serverCa.certificate()));
    }

    @Test
    void allowListedWorkloadCompletesHandshakeAndRoundTripOverTls13() throws Exception {
        Credential client = pki.client(CHECKOUT, NOW, Duration.ofDays(7));
        String answer = RelayClient.call(clientTrustingServerCa(client), RELAY_HOST, gateway.port(), "ping");
        assertThat(answer).isEqualTo("relay: ping from " + CHECKOUT);

        java.net.Socket plain = new java.net.Socket("127.0.0.1", gateway.port());
        try (SSLSocket socket = (SSLSocket) clientTrustingServerCa(client).getSocketFactory().createSocket(plain, RELAY_HOST, gateway.port(), true)) {
            socket.setSSLParameters(MutualTls.clientParameters());
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_");
        }
    }

    @Test
    void refusesAClientThatOnlySpeaksTls12() throws Exception {
        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
        tls12.init(null, trustOnly(), null);
        java.net.Socket plain = new java.net.Socket("127.0.0.1", gateway.port());
        try (SSLSocket socket = (SSLSocket) tls12.getSocketFactory().createSocket(plain, RELAY_HOST, gateway.port(), true)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void refusesAClientWithoutCertificate() throws Exception {
        SSLContext noCert = SSLContext.getInstance("TLSv1.3");
        noCert.init(null, trustOnly(), null);
        assertThatThrownBy(() -> RelayClient.call(noCert, RELAY_HOST, gateway.port(), "ping")).isInstanceOf(IOException.class);
    }

    @Test
    void refusesAClientCertificateFromAForeignCa() {
        CertificateAuthority foreign = CertificateAuthority.selfSigned(InMemorySigner.generate(), "foreign", NOW, Duration.ofDays(30));
        Credential client = TestPki.issueClient(foreign, CHECKOUT, NOW, Duration.ofDays(7));
        assertThatThrownBy(() -> RelayClient.call(clientTrustingServerCa(client), RELAY_HOST, gateway.port(), "ping")).isInstanceOf(IOException.class);
    }

    @Test
    void refusesAnExpiredClientCertificate() {
        Credential client = pki.client(CHECKOUT, NOW.minus(Duration.ofDays(10)), Duration.ofDays(2));
        assertThatThrownBy(() -> RelayClient.call(clientTrustingServerCa(client), RELAY_HOST, gateway.port(), "ping")).isInstanceOf(IOException.class);
    }

    @Test
    void refusesANotYetValidClientCertificate() {
        Credential client = pki.client(CHECKOUT, NOW.plus(Duration.ofDays(3)), Duration.ofDays(7));
        assertThatThrownBy(() -> RelayClient.call(clientTrustingServerCa(client), RELAY_HOST, gateway.port(), "ping")).isInstanceOf(IOException.class);
    }

    @Test
    void refusesAValidCertificateWhoseSpiffeIdIsNotAllowListed() throws Exception {
        Credential stranger = pki.client(STRANGER, NOW, Duration.ofDays(7));
        assertThatThrownBy(() -> RelayClient.call(clientTrustingServerCa(stranger), RELAY_HOST, gateway.port(), "ping")).isInstanceOf(IOException.class);
        // the same gateway still serves the allowed workload
        Credential allowed = pki.client(CHECKOUT, NOW, Duration.ofDays(7));
        assertThat(RelayClient.call(clientTrustingServerCa(allowed), RELAY_HOST, gateway.port(), "ping")).contains(CHECKOUT.toString());
    }

    @Test
    void clientRefusesAServerCertificateForTheWrongHostName() {
        Credential client = pki.client(CHECKOUT, NOW, Duration.ofDays(7));
        assertThatThrownBy(() -> RelayClient.call(clientTrustingServerCa(client), "other.eks.internal.example", gateway.port(), "ping"))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class).hasMessageContaining("other.eks.internal.example");
    }

    @Test
    void clientRefusesAServerCertificateFromAForeignCa() throws IOException {
        CertificateAuthority foreign = CertificateAuthority.selfSigned(InMemorySigner.generate(), "foreign", NOW, Duration.ofDays(30));
        gateway.reload(MutualTls.serverContext(TestPki.issueServer(foreign, RELAY_HOST, NOW, Duration.ofDays(7)),
                TrustBundle.of(pki.clientCa.certificate()), Set.of(CHECKOUT)));
        Credential client = pki.client(CHECKOUT, NOW, Duration.ofDays(7));
        assertThatThrownBy(() -> RelayClient.call(clientTrustingServerCa(client), RELAY_HOST, gateway.port(), "ping"))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    private javax.net.ssl.TrustManager[] trustOnly() throws Exception {
        javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", pki.serverCa.certificate());
        factory.init(store);
        return factory.getTrustManagers();
    }
}
