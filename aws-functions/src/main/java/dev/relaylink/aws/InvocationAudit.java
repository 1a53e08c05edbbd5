package dev.relaylink.aws;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log of one Lambda container: every record goes to the log (CloudWatch Logs via stdout),
 * and the records of the invocation in progress are kept so the handler can say in its result what
 * happened. Lambda runs one invocation at a time per container; {@link #begin} starts a new one.
 */
public final class InvocationAudit implements AuditLog {
    private final AuditLog sink;
    private final List<AuditRecord> invocation = new ArrayList<>();

    public InvocationAudit(AuditLog sink) {
        this.sink = sink;
    }

    public synchronized void begin() {
        invocation.clear();
    }

    @Override
    public synchronized void record(AuditRecord record) {
        invocation.add(record);
        sink.record(record);
    }

    /** The records since {@link #begin}. */
    public synchronized List<AuditRecord> records() {
        return List.copyOf(invocation);
    }
}
