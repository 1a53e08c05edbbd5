package dev.relaylink.port;

import java.time.Instant;
import java.util.List;

/** The events a side handled most recently, as its idempotency store remembers them (read-only; for operators). */
public interface HandledEvents {

    /** At most {@code limit} events, newest first. */
    List<HandledEvent> recent(int limit);

    /** One remembered event: its id, the store's status ({@code COMPLETED}, {@code IN_PROGRESS}) and when it was handled. */
    record HandledEvent(String eventId, String status, Instant at) {
    }
}
