package dev.relaylink.tls;

import static dev.relaylink.testing.TestPki.RELAY_HOST;
import static dev.relaylink.testing.TestPki.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.InMemorySigner;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
        Assumptions.assumeTrue(run(List.of("openssl", "version"), null).exitCode == 0, "openssl is not on this machine");
    }

    @Test
    void opensslVerifiesTheIssuedChainsAndShowsTheSpiffeUri() throws Exception {
        Path clientCa = write("client-ca.pem", Pem.write(pki.clientCa.certificate()));
        Path serverCa = write("server-ca.pem", Pem.write(pki.serverCa.certificate()));
        Path client = write("client.pem", Pem.write(pki.client(CHECKOUT, NOW, Duration.ofDays(7)).leaf()));
        Path server = write("server.pem", Pem.write(pki.server(RELAY_HOST, NOW, Duration.ofDays(7)).leaf()));

        assertThat(run(List.of("openssl", "verify", "-CAfile", clientCa.toString(), client.toString()), null).output).contains(": OK");
        assertThat(run(List.of("openssl", "verify", "-CAfile", serverCa.toString(), "-verify_hostname", RELAY_HOST, server.toString()), null).exitCode).isZero();
        assertThat(run(List.of("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", client.toString()), null).output)
                .contains("URI:" + CHECKOUT);

        Result foreign = run(List.of("openssl", "verify", "-CAfile", serverCa.toString(), client.toString()), null);
        assertThat(foreign.exitCode).isNotZero();
    }

    @Test
    void opensslSClientWithOurClientCertTalksToTheJsseGatewayAndAForeignCertIsRefused() throws Exception {
        Credential server = pki.server(RELAY_HOST, NOW, Duration.ofDays(7));
        try (RelayGateway gateway = RelayGateway.start(MutualTls.serverContext(server, TrustBundle.of(pki.clientCa.certificate()), Set.of(CHECKOUT)))) {
            Credential client = pki.client(CHECKOUT, NOW, Duration.ofDays(7));
            Result ok = sClient(gateway.port(), client);
            assertThat(ok.output).contains("Verify return code: 0 (ok)").contains("TLSv1.3").contains("relay: hello from " + CHECKOUT);

            CertificateAuthority foreign = CertificateAuthority.selfSigned(InMemorySigner.generate(), "foreign", NOW, Duration.ofDays(30));
            Result refused = sClient(gateway.port(), TestPki.issueClient(foreign, CHECKOUT, NOW, Duration.ofDays(7)));
            assertThat(refused.output).doesNotContain("relay: hello");
        }
    }

    private Result sClient(int port, Credential client) throws IOException {
        Path cert = write("c-" + System.nanoTime() + ".pem", Pem.write(client.leaf()));
        Path key = write("k-" + System.nanoTime() + ".pem", Pem.write(client.key()));
        Path serverCa = write("server-ca.pem", Pem.write(pki.serverCa.certificate()));
        return run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", RELAY_HOST,
                "-verify_hostname", RELAY_HOST, "-CAfile", serverCa.toString(), "-cert", cert.toString(), "-key", key.toString(),
                "-tls1_3", "-ign_eof"), "hello\n");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
