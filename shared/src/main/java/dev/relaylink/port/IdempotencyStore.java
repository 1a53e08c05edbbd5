package dev.relaylink.port;

/**
 * Remembers which events were handled, because every event arrives at least once. A claim that
 * is never completed expires, so a crashed handler's event can be retried.
 */
public interface IdempotencyStore {

    /** True when this caller now owns the event; false when it was completed or is being handled. */
    boolean claim(String eventId);

    void complete(String eventId);

    /** Gives the claim back after a failure so a retry can handle the event. */
    void release(String eventId);
}
