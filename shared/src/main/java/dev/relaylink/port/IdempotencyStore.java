package dev.relaylink.port;

/**
 * Remembers which events were handled, because every event arrives at least once. A claim that
 * is never completed expires (after the function's timeout, see {@code ClaimPolicy}), so a crashed
 * handler's event is retried.
 */
public interface IdempotencyStore {

    /** What a claim found. */
    enum Claim {
        /** This caller now owns the event. */
        CLAIMED,
        /** The event was handled before: nothing to do. */
        HANDLED,
        /** Another run holds a live claim: the event is not handled yet, so it must come back later. */
        IN_PROGRESS
    }

    Claim claim(String eventId);

    void complete(String eventId);

    /** Gives the claim back after a failure so a retry can handle the event. */
    void release(String eventId);
}
