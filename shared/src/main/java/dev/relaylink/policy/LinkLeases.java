package dev.relaylink.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The one rule for the per-link lock on both clouds; the lock adapters only translate it to their
 * service's conditional writes: a lease carries an owner token of its own and ends {@code ttl} after
 * it was taken, so a holder that dies frees the link by itself; it may be taken when there is none or
 * the one held has ended ({@link #mayReplace}); only its owner gives it back ({@link #mayRelease}), so a
 * holder whose lease ran out never removes its successor's.
 */
public final class LinkLeases {
    /** A lease as a store holds it: whose it is, and until when. */
    public record Holder(String owner, Instant expiresAt) {
    }

    private LinkLeases() {
    }

    /** The lease a holder taking the lock at {@code now} for {@code ttl} writes. */
    public static Holder take(Instant now, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease lasts a positive time, not " + ttl);
        }
        return new Holder(UUID.randomUUID().toString(), now.plus(ttl));
    }

    /** Whether a new lease at {@code now} may replace {@code held}: it has ended. */
    public static boolean mayReplace(Holder held, Instant now) {
        return !now.isBefore(held.expiresAt());
    }

    /** Whether the holder of {@code owner}'s lease may delete {@code held}: it is still that lease. */
    public static boolean mayRelease(Holder held, String owner) {
        return held.owner().equals(owner);
    }
}
