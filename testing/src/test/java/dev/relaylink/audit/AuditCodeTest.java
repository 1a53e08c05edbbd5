package dev.relaylink.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.plan.Action;
import dev.relaylink.plan.Executor;
import dev.relaylink.plan.Plan;
import dev.relaylink.plan.Reason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reason code travels from the planner's action through the executor into the audit log's JSON line. */
class AuditCodeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AuditLog.InMemory audit = new AuditLog.InMemory(new JsonLines(new PrintStream(out, true, StandardCharsets.UTF_8)));

    @Test
    void eachActionsRecordCarriesItsCodeAppliedFailedOrSkipped() throws Exception {
        Action accept = new Action.AcceptConnections("vpce-svc-1", List.of("vpce-1"), "endpoint owner is an allowed principal", Reason.CONNECTION_ALLOWED);
        Action reject = new Action.RejectConnections("vpce-svc-1", List.of("vpce-2"), "endpoint owner is not an allowed principal",
                Reason.CONNECTION_STRANGER);
        Action listener = new Action.CreateListener("arn:lb", 443, "arn:tg", "the TCP 443 passthrough listener is missing", Reason.LISTENER_MISSING);
        Executor executor = new Executor(action -> {
            if (action instanceof Action.RejectConnections) {
                throw new IllegalStateException("throttled");
            }
        }, audit, CLOCK);

        executor.execute("event-1", new Plan(List.of(accept, reject, listener)));

        assertThat(audit.records()).extracting(AuditRecord::outcome, AuditRecord::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AuditRecord.Outcome.APPLIED, Reason.CONNECTION_ALLOWED),
                org.assertj.core.groups.Tuple.tuple(AuditRecord.Outcome.FAILED, Reason.CONNECTION_STRANGER),
                org.assertj.core.groups.Tuple.tuple(AuditRecord.Outcome.SKIPPED, Reason.LISTENER_MISSING));
        List<JsonNode> lines = lines();
        assertThat(lines.get(0).get("code").asText()).isEqualTo("CONNECTION_ALLOWED");
        // The code comes last, after the words it stands for: existing readers of the line see the same fields first.
        assertThat(lines.get(0).fieldNames()).toIterable().containsExactly("type", "at", "eventId", "action", "target", "outcome", "reason", "code");
        assertThat(lines.get(1).get("reason").asText()).isEqualTo("endpoint owner is not an allowed principal; failed: IllegalStateException: throttled");
    }

    @Test
    void aRecordThatIsNotAboutAChangeHasNoCodeField() throws Exception {
        audit.record(new AuditRecord(CLOCK.instant(), "event-1", "ReconcileHandler", "relay-link-demo", AuditRecord.Outcome.DUPLICATE,
                "the event was handled before"));

        JsonNode line = lines().get(0);
        assertThat(line.has("code")).isFalse();
        assertThat(line.get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(audit.records().get(0).appliedRotation()).isFalse();
    }

    private List<JsonNode> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return JsonLines.JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }
}
