package dev.relaylink.azure.function;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.plan.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit log of the Azure functions plus their metrics, both as JSON lines on stdout, which the
 * Functions host keeps as traces (category {@code Host.Function.Console}) in Application Insights.
 * A metric is a line {@code {"type":"metric","metric":...,"value":...,"link":...}} whose fields
 * become queryable dimensions with {@code parse_json(message)}; docs/azure.md has the queries.
 * Approvals, rejections and rotations are counted from the audit records themselves, by the kind of
 * each record's reason code, so a change is counted exactly when it was made.
 */
public final class AzureTelemetry implements AuditLog {
    public static final String APPROVALS = "relaylink.private_endpoint.approvals";
    public static final String REJECTIONS = "relaylink.private_endpoint.rejections";
    public static final String ROTATIONS = "relaylink.client_certificate.rotations";
    public static final String DAYS_TO_EXPIRY = "relaylink.client_certificate.days_to_expiry";
    public static final String CA_DAYS_TO_EXPIRY = "relaylink.ca.days_to_expiry";
    public static final String CA_DAYS_INTO_RENEWAL = "relaylink.ca.days_into_renewal";
    /** Events a configuration failure stopped (not retried: docs/azure.md); an alert on it is in docs/azure.md. */
    public static final String CONFIGURATION_FAILURES = "relaylink.configuration_failures";

    /** The Azure side's only approvals, rejections and rotations are private endpoints' and client certificates'. */
    private static final Map<Reason.Kind, String> COUNTED_KINDS = Map.of(
            Reason.Kind.APPROVAL, APPROVALS,
            Reason.Kind.REJECTION, REJECTIONS,
            Reason.Kind.ROTATION, ROTATIONS);

    private final JsonLines lines;
    private final String link;

    public AzureTelemetry(JsonLines lines, String link) {
        this.lines = lines;
        this.link = link;
    }

    @Override
    public void record(AuditRecord record) {
        lines.record(record);
        String metric = record.code() == null ? null : COUNTED_KINDS.get(record.code().kind());
        if (metric != null && record.outcome() == AuditRecord.Outcome.APPLIED) {
            metric(metric, 1, "count", Map.of("target", record.target(), "eventId", record.eventId()));
        }
    }

    /** Days from {@code now} until the workload's certificate expires (negative once it has), two decimals. */
    public void daysToExpiry(SpiffeId workload, Instant notAfter, Instant now) {
        double days = Math.round(Duration.between(now, notAfter).toMinutes() / 14.4) / 100.0;
        metric(DAYS_TO_EXPIRY, days, "days", Map.of("workload", workload.toString(), "notAfter", notAfter.toString()));
    }

    /** Days to expiry of one CA generation ({@code ca}: client-ca or server-ca; {@code state}: issuing, next, previous). */
    public void caDaysToExpiry(String ca, String state, Instant notAfter, Instant now) {
        metric(CA_DAYS_TO_EXPIRY, Duration.between(now, notAfter).toHours() / 24.0, "days", Map.of("ca", ca, "state", state, "notAfter", notAfter.toString()));
    }

    /** Days the issuing CA is past the point its next generation was due (negative before): more than a day means the renewal did not happen. */
    public void caDaysIntoRenewal(String ca, Instant renewAt, Instant now) {
        metric(CA_DAYS_INTO_RENEWAL, Duration.between(renewAt, now).toHours() / 24.0, "days", Map.of("ca", ca));
    }

    /** One event the function stopped on a configuration failure. */
    public void configurationFailure(String function) {
        metric(CONFIGURATION_FAILURES, 1, "count", Map.of("function", function));
    }

    private void metric(String name, double value, String unit, Map<String, String> dimensions) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("metric", name);
        fields.put("value", value);
        fields.put("unit", unit);
        fields.put("link", link);
        fields.putAll(dimensions);
        lines.print("metric", fields);
    }
}
