package dev.relaylink.failure;

/**
 * A failure that a later attempt of the same event can get past: the link is busy with another run,
 * another run holds the event, a cloud throttled or failed (5xx), a confirmation the step waits for is
 * not held yet. The handler throws it, so the platform retries the event and finally dead-letters it.
 */
public class RetryableFailure extends RuntimeException {
    public RetryableFailure(String message) {
        super(message);
    }

    public RetryableFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
