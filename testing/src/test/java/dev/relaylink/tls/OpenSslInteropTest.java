package dev.relaylink.tls;

import dev.relaylink.testing.RelayGateway;
import static dev.relaylink.testing.TestPki.RELAY_HOST;
import static dev.relaylink.testing.TestPki.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Credential;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.testing.OpenSsl;
import dev.relaylink.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenSSL as an outside peer: it must accept what relay-link issues and serves, and refuse a stranger. */
class OpenSslInteropTest {
    private static final Instant NOW = Instant.now();
    private static final SpiffeId CHECKOUT = workload("payments", "checkout");
    private final TestPki pki = new TestPki(NOW);

    @TempDir
    Path dir;

    @BeforeAll
    static void requireOpenSsl() {
        Assumptions.assumeTrue(OpenSsl.available(), "openssl is not on this machine");
    }

    @Test
    void opensslVerifiesTheIssuedChainsAndShowsTheSpiffeUri() throws Exception {
        Path clientCa = write("client-ca.pem", Pem.write(pki.clientCa.certificate()));
        Path serverCa = write("server-ca.pem", Pem.write(pki.serverCa.certificate()));
        Path client = write("client.pem", Pem.write(pki.client(CHECKOUT, NOW, Duration.ofDays(7)).leaf()));
        Path server = write("server.pem", Pem.write(pki.server(RELAY_HOST, NOW, Duration.ofDays(7)).leaf()));

        assertThat(OpenSsl.run("verify", "-CAfile", clientCa.toString(), client.toString()).output()).contains(": OK");
        assertThat(OpenSsl.run("verify", "-CAfile", serverCa.toString(), "-verify_hostname", RELAY_HOST, server.toString()).exitCode()).isZero();
        assertThat(OpenSsl.run("x509", "-noout", "-ext", "subjectAltName", "-in", client.toString()).output())
                .contains("URI:" + CHECKOUT);

        OpenSsl.Result foreign = OpenSsl.run("verify", "-CAfile", serverCa.toString(), client.toString());
        assertThat(foreign.exitCode()).isNotZero();
    }

    @Test
    void opensslSClientWithOurClientCertTalksToTheJsseGatewayAndAForeignCertIsRefused() throws Exception {
        Credential server = pki.server(RELAY_HOST, NOW, Duration.ofDays(7));
        try (RelayGateway gateway = RelayGateway.start(MutualTls.serverContext(server, TrustBundle.of(pki.clientCa.certificate()), Set.of(CHECKOUT)))) {
            Credential client = pki.client(CHECKOUT, NOW, Duration.ofDays(7));
            OpenSsl.Result ok = sClient(gateway.port(), client);
            assertThat(ok.output()).contains("Verify return code: 0 (ok)").contains("TLSv1.3").contains("relay: hello from " + CHECKOUT);

            CertificateAuthority foreign = CertificateAuthority.selfSigned(InMemorySigner.generate(), "foreign", NOW, Duration.ofDays(30));
            OpenSsl.Result refused = sClient(gateway.port(), TestPki.issueClient(foreign, CHECKOUT, NOW, Duration.ofDays(7)));
            assertThat(refused.output()).doesNotContain("relay: hello");
        }
    }

    private OpenSsl.Result sClient(int port, Credential client) throws IOException {
        Path cert = write("c-" + System.nanoTime() + ".pem", Pem.write(client.leaf()));
        Path key = write("k-" + System.nanoTime() + ".pem", Pem.write(client.key()));
        Path serverCa = write("server-ca.pem", Pem.write(pki.serverCa.certificate()));
        return OpenSsl.runWithInput("hello\n", "s_client", "-connect", "127.0.0.1:" + port, "-servername", RELAY_HOST,
                "-verify_hostname", RELAY_HOST, "-CAfile", serverCa.toString(), "-cert", cert.toString(), "-key", key.toString(),
                "-tls1_3", "-ign_eof");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
