package dev.relaylink.audit;

import java.util.List;

/** Where audit records go: JSON lines on stdout in the clouds (CloudWatch Logs, Application Insights), a list in tests. */
public interface AuditLog {
    void record(AuditRecord record);

    /** Keeps records in memory (tests, the local run) and can pass each on to another log. */
    final class InMemory implements AuditLog {
        private final java.util.List<AuditRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AuditLog next;

        public InMemory() {
            this(r -> { });
        }

        public InMemory(AuditLog next) {
            this.next = next;
        }

        @Override
        public void record(AuditRecord record) {
            records.add(record);
            next.record(record);
        }

        public List<AuditRecord> records() {
            return List.copyOf(records);
        }
    }
}
