package dev.relaylink.policy;

import dev.relaylink.port.IdempotencyStore.Claim;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one rule for event claims on both clouds; each idempotency store only translates it to its
 * service's conditional writes:
 * <ul>
 *   <li>a claim carries a fresh owner token and lives as long as {@link ClaimPolicy#claimExpiry};</li>
 *   <li>a new claim replaces what is stored only once that has expired ({@link #mayReplace}): a claim
 *       whose run died, or a completion remembered longer than the event source redelivers;</li>
 *   <li>a lost claim is HANDLED when it lost to a completion, IN_PROGRESS otherwise ({@link #lostTo});</li>
 *   <li>a run releases only its own claim, while it is still in progress ({@link #mayRelease}): once it
 *       expired and another run took it over, it is that run's, and a completion is never forgotten.</li>
 * </ul>
 * One object per store object, which stands for one instance of the function: it keeps the tokens of
 * the claims that instance's runs hold. A run outlives its claim only past the platform's timeout,
 * which ends it, so one instance never holds two live claims on one event.
 */
public final class EventClaims {
    public enum Status { IN_PROGRESS, COMPLETED }

    /**
     * What a store holds for one event id.
     *
     * @param owner the token of the run that claimed it; empty for a completion
     */
    public record Entry(Status status, String owner, Instant expiresAt) {
    }

    private final Clock clock;
    private final ClaimPolicy policy;
    private final Map<String, String> held = new ConcurrentHashMap<>();

    public EventClaims(Clock clock, ClaimPolicy policy) {
        this.clock = clock;
        this.policy = policy;
    }

    public Instant now() {
        return clock.instant();
    }

    /** The entry a claim made at {@code now} writes, with an owner token of its own. */
    public Entry claim(Instant now) {
        return new Entry(Status.IN_PROGRESS, UUID.randomUUID().toString(), policy.claimExpiry(now));
    }

    /** The entry that marks an event handled at {@code now}. */
    public Entry completion(Instant now) {
        return new Entry(Status.COMPLETED, "", policy.completedExpiry(now));
    }

    /** Whether a new claim at {@code now} may replace {@code found}: it has expired. */
    public static boolean mayReplace(Entry found, Instant now) {
        return !now.isBefore(found.expiresAt());
    }

    /** What the caller of a claim that lost to {@code found} (its status, when the store could read it) is told. */
    public static Claim lostTo(Optional<Status> found) {
        return found.filter(status -> status == Status.COMPLETED).isPresent() ? Claim.HANDLED : Claim.IN_PROGRESS;
    }

    /** Whether the run holding {@code owner} may delete {@code found}: it is that run's claim, still in progress. */
    public static boolean mayRelease(Entry found, String owner) {
        return found.status() == Status.IN_PROGRESS && found.owner().equals(owner);
    }

    /** Records that {@code claim} on {@code eventId} was written: a run of this instance holds it. */
    public Claim won(String eventId, Entry claim) {
        held.put(eventId, claim.owner());
        return Claim.CLAIMED;
    }

    /** The event was handled: nothing is held any more. */
    public void completed(String eventId) {
        held.remove(eventId);
    }

    /** The token of the claim on {@code eventId} this instance gives back; empty when it holds none. */
    public Optional<String> release(String eventId) {
        return Optional.ofNullable(held.remove(eventId));
    }
}
