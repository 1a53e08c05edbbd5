package dev.relaylink.aws.adapter;

import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.JsonLines;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AwsMetrics as CloudWatch Embedded Metric Format lines on stdout: CloudWatch Logs turns each line into
 * metric data, with no API call from the function (and none of PutMetricData's CBOR, which the
 * emulator does not speak). Namespace {@code RelayLink}, dimension {@code Link} (plus {@code Certificate}
 * for expiry). Lines carry names and numbers only, never certificate or key material.
 */
public final class AwsMetrics {
    public static final String NAMESPACE = "RelayLink";
    public static final String DAYS_TO_EXPIRY = "DaysToExpiry";
    public static final String CA_DAYS_INTO_RENEWAL = "CaDaysIntoRenewal";
    public static final String ROTATIONS = "Rotations";
    public static final String REPAIRS = "Repairs";
    public static final String REJECTED_CONNECTIONS = "RejectedConnections";
    public static final String REJECTED_EVENTS = "RejectedEvents";
    /** Events a configuration failure stopped (not retried: docs/aws.md); template.yaml's ConfigurationFailuresAlarm watches it. */
    public static final String CONFIGURATION_FAILURES = "ConfigurationFailures";

    private final JsonLines out;
    private final String linkName;
    private final Clock clock;

    public AwsMetrics(PrintStream out, String linkName, Clock clock) {
        this.out = new JsonLines(out);
        this.linkName = linkName;
        this.clock = clock;
    }

    /** Whole days left before {@code certificate} expires (negative once expired); {@code name} says which one. */
    public void daysToExpiry(String name, X509Certificate certificate) {
        long days = Duration.between(clock.instant(), certificate.getNotAfter().toInstant()).toDays();
        emit(DAYS_TO_EXPIRY, days, "None", Map.of("Certificate", name));
    }

    /**
     * Whole days the issuing CA of a side ({@code server-ca}, {@code client-ca}) is past the point
     * where its next generation is due (negative before): more than the bundle travel time means the
     * renewal did not happen (the CA renewal alarm).
     */
    public void caDaysIntoRenewal(String ca, java.time.Instant renewAt) {
        emit(CA_DAYS_INTO_RENEWAL, Duration.between(renewAt, clock.instant()).toDays(), "None", Map.of("Certificate", ca));
    }

    /**
     * Counts the changes among {@code records} by their reason codes: the applied certificate rotations, and
     * every other applied change as a repair. Emits nothing for a count of zero.
     */
    public void changes(List<AuditRecord> records) {
        long rotations = records.stream().filter(AuditRecord::appliedRotation).count();
        long repairs = records.stream().filter(r -> r.outcome() == AuditRecord.Outcome.APPLIED && !r.appliedRotation()).count();
        if (rotations > 0) {
            rotations(rotations);
        }
        if (repairs > 0) {
            repairs(repairs);
        }
    }

    public void rotations(long count) {
        emit(ROTATIONS, count, "Count", Map.of());
    }

    public void repairs(long count) {
        emit(REPAIRS, count, "Count", Map.of());
    }

    public void rejectedConnections(long count) {
        emit(REJECTED_CONNECTIONS, count, "Count", Map.of());
    }

    public void rejectedEvents(long count) {
        emit(REJECTED_EVENTS, count, "Count", Map.of());
    }

    public void configurationFailures(long count) {
        emit(CONFIGURATION_FAILURES, count, "Count", Map.of());
    }

    private void emit(String metric, long value, String unit, Map<String, String> extraDimensions) {
        Map<String, Object> dimensions = new LinkedHashMap<>();
        dimensions.put("Link", linkName);
        dimensions.putAll(extraDimensions);
        Map<String, Object> directive = Map.of(
                "Namespace", NAMESPACE,
                "Dimensions", List.of(List.copyOf(dimensions.keySet())),
                "AwsMetrics", List.of(Map.of("Name", metric, "Unit", unit)));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of("Timestamp", clock.millis(), "CloudWatchMetrics", List.of(directive)));
        line.putAll(dimensions);
        line.put(metric, value);
        out.print("metric", line);
    }
}
