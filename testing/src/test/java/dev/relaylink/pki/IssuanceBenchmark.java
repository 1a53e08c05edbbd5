package dev.relaylink.pki;

import dev.relaylink.testing.InMemorySigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prints the warm cost of issuing one ECDSA P-256 client certificate (new key + certificate signed
 * by the CA + PEM) next to openssl doing the same in the same run. A figure, not a test.
 */
public final class IssuanceBenchmark {
    public static void main(String[] args) throws Exception {
        CertificateAuthority ca = CertificateAuthority.selfSigned(InMemorySigner.generate(), "bench CA", Instant.now(), Duration.ofDays(30));
        SpiffeId id = new SpiffeId("aks.example", "payments", "checkout");
        int warmup = 2_000;
        int measured = 2_000;
        for (int i = 0; i < warmup; i++) {
            issue(ca, id);
        }
        long start = System.nanoTime();
        for (int i = 0; i < measured; i++) {
            issue(ca, id);
        }
        double javaMicros = (System.nanoTime() - start) / 1_000.0 / measured;
        System.out.printf("issuance (relay-link, JDK EC keygen + Bouncy Castle certificate + PEM, warm): %.0f us per certificate (%d certificates)%n",
                javaMicros, measured);
        opensslFigure(id);
    }

    private static String issue(CertificateAuthority ca, SpiffeId id) {
        KeyPair key = Keys.generateP256();
        return Pem.write(ca.issueClient(key.getPublic(), id, Instant.now(), Duration.ofDays(7))) + Pem.write(key.getPrivate());
    }

    private static void opensslFigure(SpiffeId id) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("relay-bench");
        if (run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-subj", "/CN=bench CA", "-days", "30") != 0) {
            System.out.println("issuance (openssl): openssl is not available");
            return;
        }
        int count = 100;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key",
                    "-out", "leaf.pem", "-subj", "/CN=checkout.payments", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", "7",
                    "-addext", "subjectAltName=URI:" + id);
        }
        double perCertMillis = (System.nanoTime() - start) / 1_000_000.0 / count;
        System.out.printf("issuance (openssl req -x509 -CA, one process per certificate, includes process start): %.2f ms per certificate (%d certificates)%n",
                perCertMillis, count);
    }

    private static int run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
