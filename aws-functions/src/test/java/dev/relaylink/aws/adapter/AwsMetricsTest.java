package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.plan.Reason;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Embedded Metric Format lines as CloudWatch Logs reads them: one JSON object per line, the directive under _aws. */
class AwsMetricsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AwsMetrics metrics = new AwsMetrics(new PrintStream(out, true, StandardCharsets.UTF_8), "relay-link-demo", new MutableClock(NOW));

    @Test
    void daysToExpiryIsACertificateMetricInTheRelayLinkNamespace() throws Exception {
        var certificate = new TestPki(NOW).server(TestPki.RELAY_HOST, NOW, Duration.ofDays(30)).leaf();

        metrics.daysToExpiry("server", certificate);

        JsonNode line = lines().get(0);
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(directive.get("Namespace").asText()).isEqualTo("RelayLink");
        assertThat(directive.at("/Dimensions/0").toString()).isEqualTo("[\"Link\",\"Certificate\"]");
        assertThat(directive.at("/AwsMetrics/0/Name").asText()).isEqualTo("DaysToExpiry");
        assertThat(line.get("Link").asText()).isEqualTo("relay-link-demo");
        assertThat(line.get("Certificate").asText()).isEqualTo("server");
        assertThat(line.get("DaysToExpiry").asLong()).isEqualTo(30);
    }

    @Test
    void countersEachReferenceTheirOwnValue() throws Exception {
        metrics.rotations(1);
        metrics.repairs(3);
        metrics.rejectedConnections(2);
        metrics.rejectedEvents(1);

        List<JsonNode> lines = lines();
        assertThat(lines).extracting(l -> l.at("/_aws/CloudWatchMetrics/0/AwsMetrics/0/Name").asText())
                .containsExactly("Rotations", "Repairs", "RejectedConnections", "RejectedEvents");
        assertThat(lines).allSatisfy(l -> {
            String name = l.at("/_aws/CloudWatchMetrics/0/AwsMetrics/0/Name").asText();
            assertThat(l.get(name).isNumber()).isTrue();
            assertThat(l.at("/_aws/CloudWatchMetrics/0/AwsMetrics/0/Unit").asText()).isEqualTo("Count");
        });
        assertThat(lines.get(1).get("Repairs").asLong()).isEqualTo(3);
    }

    @Test
    void changesAreCountedByTheirReasonCodeNotByTheirName() throws Exception {
        Instant at = NOW;
        List<AuditRecord> records = List.of(
                new AuditRecord(at, "e1", "RotateServerCertificate", "relay", Outcome.APPLIED, "due", Reason.CERTIFICATE_DUE),
                new AuditRecord(at, "e1", "ServerCertificateRotation.finishSecret", "relay", Outcome.APPLIED, "finished", Reason.ROTATION_FINISHED),
                new AuditRecord(at, "e1", "ServerCertificateRotation.createSecret", "relay", Outcome.APPLIED, "step", Reason.ROTATION_STEP),
                new AuditRecord(at, "e1", "CreateListener", "nlb:443", Outcome.APPLIED, "missing", Reason.LISTENER_MISSING),
                new AuditRecord(at, "e1", "AcceptConnections", "svc", Outcome.APPLIED, "allowed", Reason.CONNECTION_ALLOWED),
                // not made: not counted
                new AuditRecord(at, "e1", "RotateServerCertificate", "relay", Outcome.FAILED, "due", Reason.CERTIFICATE_DUE),
                new AuditRecord(at, "e1", "DeleteListener", "l/2", Outcome.SKIPPED, "extra", Reason.LISTENER_DRIFT),
                new AuditRecord(at, "e1", "ReconcileHandler", "relay-link-demo", Outcome.NO_CHANGE, "the link already matches the spec"));

        metrics.changes(records);

        List<JsonNode> lines = lines();
        assertThat(lines).extracting(l -> l.at("/_aws/CloudWatchMetrics/0/AwsMetrics/0/Name").asText()).containsExactly("Rotations", "Repairs");
        assertThat(lines.get(0).get("Rotations").asLong()).isEqualTo(2);
        assertThat(lines.get(1).get("Repairs").asLong()).isEqualTo(3);
    }

    @Test
    void noChangeEmitsNoCounter() {
        metrics.changes(List.of(new AuditRecord(NOW, "e1", "ReconcileHandler", "relay-link-demo", Outcome.NO_CHANGE, "matches")));

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private List<JsonNode> lines() throws Exception {
        return out.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return JsonLines.JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }
}
