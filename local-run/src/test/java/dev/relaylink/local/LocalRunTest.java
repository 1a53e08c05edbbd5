package dev.relaylink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.k8s.TypedKinds;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.testing.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: every step of the local run succeeds and its artifacts hold what it says. */
class LocalRunTest {
    @TempDir
    Path out;

    @Test
    void theWholeLifecycleRunsHealthyAndLeavesCheckableArtifacts() throws Exception {
        assumeTrue(System.getenv("AWS_ENDPOINT_URL") != null, "AWS_ENDPOINT_URL is not set: start the AWS emulator (scripts/test does)");

        assertThat(LocalRun.run(out)).isTrue();

        JsonNode status = JsonLines.JSON.readTree(Files.readString(out.resolve("status.json")));
        assertThat(status).hasSize(7).allSatisfy(step -> assertThat(step.path("ok").asBoolean()).as(step.toString()).isTrue());
        assertThat(status.get(3).path("detail").asText()).contains(", 0 failed");
        // both CAs rotated under traffic on the fast clock: calls made, none failed
        JsonNode caRotation = status.get(5);
        assertThat(caRotation.path("step").asText()).isEqualTo("6 CA rotation");
        assertThat(caRotation.path("figures").path("callsDuringCaRotation").asLong()).isPositive();
        assertThat(caRotation.path("figures").path("failedCalls").asLong()).isZero();
        assertThat(caRotation.path("figures").path("simulatedDays").asLong()).isGreaterThanOrEqualTo(365);
        // then the operator's plan finds nothing to do on the world the run leaves, and the status page is written
        assertThat(status.get(6).path("step").asText()).isEqualTo("7 plan");
        assertThat(Files.readString(out.resolve("status.html"))).contains("<html").contains("Pending actions");
        TrustBundle clientCas = TrustBundle.parse(Files.readString(out.resolve("certs/client-ca.pem")));
        var client = Pem.readCertificates(Files.readString(out.resolve("certs/client-payments-checkout.pem")));
        ChainValidator.validate(client, clientCas, Instant.now());
        assertThat(Certificates.spiffeId(client.get(0))).contains(SpiffeId.parse("spiffe://aks.example/ns/payments/sa/checkout"));
        var server = Pem.readCertificates(Files.readString(out.resolve("certs/server.pem")));
        ChainValidator.validate(server, TrustBundle.parse(Files.readString(out.resolve("certs/server-ca.pem"))), Instant.now());
        // and an outside tool agrees
        OpenSsl.Result verified = OpenSsl.run("verify", "-CAfile", out.resolve("certs/client-ca.pem").toString(),
                out.resolve("certs/client-payments-checkout.pem").toString());
        if (OpenSsl.available()) {
            assertThat(verified.output()).contains(": OK");
            assertThat(OpenSsl.run("x509", "-noout", "-ext", "subjectAltName", "-in", out.resolve("certs/client-payments-checkout.pem").toString())
                    .output()).contains("URI:spiffe://aks.example/ns/payments/sa/checkout");
            assertThat(OpenSsl.run("verify", "-CAfile", out.resolve("certs/server-ca.pem").toString(), "-verify_hostname",
                    "relay.eks.internal.example", out.resolve("certs/server.pem").toString()).exitCode()).isZero();
        }
        JsonNode summary = JsonLines.JSON.readTree(Files.readString(out.resolve("certs/summary.json")));
        assertThat(summary.findValuesAsText("spiffeId")).contains("spiffe://aks.example/ns/payments/sa/checkout");
        assertThat(summary.findValuesAsText("sha256")).contains(Certificates.fingerprint(client.get(0)), Certificates.fingerprint(server.get(0)));
        // every Kubernetes object relay-link wrote, as YAML that the published schemas accept, with no Secret value in it
        List<String> kinds = new java.util.ArrayList<>();
        for (String cluster : List.of("eks", "aks")) {
            try (var files = Files.list(out.resolve("k8s").resolve(cluster))) {
                for (Path file : files.sorted().toList()) {
                    String yaml = Files.readString(file);
                    assertThat(TypedKinds.errorsInYaml(yaml)).as(file.toString()).isEmpty();
                    assertThat(yaml).doesNotContain("PRIVATE KEY").doesNotContain("LS0t"); // no PEM, plain or base64
                    kinds.add(cluster + ":" + file.getFileName().toString().split("-")[0]);
                }
            }
        }
        assertThat(kinds).contains("eks:ClientTrafficPolicy", "eks:Secret", "aks:NetworkPolicy", "aks:Secret");
        assertThat(Files.readString(out.resolve("k8s/eks/Secret-relay-relay-server-tls.yaml"))).contains("tls.key: \"REDACTED\"");
        assertThat(status.get(2).path("detail").asText()).contains("no SAN matcher in ClientTrafficPolicy").contains("listed in the client CA's CRL and refused");
        assertThat(Files.readAllLines(out.resolve("audit.jsonl"))).isNotEmpty()
                .allSatisfy(line -> assertThat(JsonLines.JSON.readTree(line).path("outcome").asText()).isNotEmpty())
                .anySatisfy(line -> assertThat(line).contains("\"side\":\"azure\""))
                .anySatisfy(line -> assertThat(line).contains("\"side\":\"aws\""));
    }
}
