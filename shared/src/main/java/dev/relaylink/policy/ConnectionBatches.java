package dev.relaylink.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * How many endpoint connections travel together, on both sides: a plan's accept or reject action
 * names at most {@link #PER_ACTION} of them (one audit record, one retry each), and an adapter sends
 * at most {@link #PER_CALL} in one cloud request (EC2 AcceptVpcEndpointConnections /
 * RejectVpcEndpointConnections; ARM approves one connection per request). Small batches keep each
 * request small and a retry after a partial failure cheap.
 */
public final class ConnectionBatches {
    public static final int PER_ACTION = 50;
    public static final int PER_CALL = 100;

    private ConnectionBatches() {
    }

    /** {@code ids} in order, cut into consecutive batches of at most {@code size}. */
    public static <T> List<List<T>> split(List<T> ids, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a batch holds at least one id, not " + size);
        }
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += size) {
            batches.add(List.copyOf(ids.subList(from, Math.min(ids.size(), from + size))));
        }
        return batches;
    }
}
