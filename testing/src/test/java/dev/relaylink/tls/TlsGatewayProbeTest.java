package dev.relaylink.tls;

import dev.relaylink.testing.RelayGateway;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rotation's probe reads the chain the gateway serves, looking an unresolved address up when it probes. */
class TlsGatewayProbeTest {
    private static final Instant NOW = Instant.now();

    @Test
    void readsTheServedChainThroughAnAddressLookedUpAtProbeTime() throws IOException {
        TestPki pki = new TestPki(NOW);
        Credential server = pki.server(TestPki.RELAY_HOST, NOW, Duration.ofDays(7));
        try (RelayGateway gateway = RelayGateway.start(MutualTls.serverContext(server, TrustBundle.of(pki.clientCa.certificate()), Set.of()))) {
            TlsGatewayProbe probe = new TlsGatewayProbe(InetSocketAddress.createUnresolved("localhost", gateway.port()));

            assertThat(probe.servedChain(TestPki.RELAY_HOST)).first().isEqualTo(server.leaf());
        }
    }
}
