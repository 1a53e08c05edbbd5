package dev.relaylink.testing;

import dev.relaylink.policy.EventClaims;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.policy.ClaimPolicy;
import dev.relaylink.port.IdempotencyStore;
import dev.relaylink.port.IdempotencyStore.Claim;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The cases every idempotency store passes the same way ({@link dev.relaylink.policy.EventClaims}' rule):
 * the in-memory one, DynamoDB (moto) and Table storage (Azurite) each run them through a subclass.
 * Each {@link #instance()} stands for one instance of the function; all share the store's table, as
 * scaled-out instances do.
 */
public abstract class IdempotencyStoreCases {
    protected static final Duration FUNCTION_TIMEOUT = Duration.ofMinutes(5);
    /** When a dead run's claim may be taken over. */
    protected static final Duration CLAIM_TTL = FUNCTION_TIMEOUT.plus(ClaimPolicy.CLOCK_MARGIN);
    protected static final Duration COMPLETED_TTL = Duration.ofDays(1);
    protected static final ClaimPolicy POLICY = new ClaimPolicy(FUNCTION_TIMEOUT, COMPLETED_TTL);

    /** Whole seconds: DynamoDB keeps its TTL attribute in epoch seconds. */
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));

    /** A new store object on the shared table, with {@link #POLICY} and {@link #clock}. */
    protected abstract IdempotencyStore instance();

    @Test
    void anEventIsClaimedOnceAcrossInstances() {
        IdempotencyStore first = instance();
        IdempotencyStore second = instance();

        assertThat(first.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        assertThat(first.claim("evt-1")).as("a redelivery to the same instance").isEqualTo(Claim.IN_PROGRESS);
        assertThat(second.claim("evt-1")).as("a redelivery to another instance").isEqualTo(Claim.IN_PROGRESS);
        assertThat(second.claim("evt-2")).as("another event").isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aCompletedEventStaysHandledAsLongAsTheSourceRedeliversThenCountsAsNew() {
        IdempotencyStore first = instance();
        assertThat(first.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        first.complete("evt-1");

        assertThat(instance().claim("evt-1")).isEqualTo(Claim.HANDLED);
        clock.advance(CLAIM_TTL.plusMinutes(1));
        assertThat(instance().claim("evt-1")).as("long after the claim would have expired").isEqualTo(Claim.HANDLED);
        clock.advance(COMPLETED_TTL);
        assertThat(instance().claim("evt-1")).as("forgotten after the completed TTL").isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aReleasedClaimCanBeClaimedAgain() {
        IdempotencyStore first = instance();
        assertThat(first.claim("evt-1")).isEqualTo(Claim.CLAIMED);

        first.release("evt-1");

        assertThat(instance().claim("evt-1")).isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aClaimWhoseRunDiedIsTakenOverOnceItExpires() {
        assertThat(instance().claim("evt-1")).isEqualTo(Claim.CLAIMED);

        clock.advance(CLAIM_TTL.minusSeconds(1));
        assertThat(instance().claim("evt-1")).as("still within the claim").isEqualTo(Claim.IN_PROGRESS);
        clock.advance(Duration.ofSeconds(1));
        assertThat(instance().claim("evt-1")).as("expired: the retry takes it over").isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aLateRunDoesNotReleaseTheClaimOfTheRunThatTookItOver() {
        IdempotencyStore late = instance();
        IdempotencyStore retry = instance();
        assertThat(late.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        clock.advance(CLAIM_TTL);
        assertThat(retry.claim("evt-1")).isEqualTo(Claim.CLAIMED);

        late.release("evt-1"); // the first run fails after its claim expired: the claim is the retry's now

        assertThat(instance().claim("evt-1")).as("the retry still holds it").isEqualTo(Claim.IN_PROGRESS);
        retry.release("evt-1");
        assertThat(instance().claim("evt-1")).as("given back by its owner").isEqualTo(Claim.CLAIMED);
    }

    @Test
    void anInstanceReleasesOnlyAClaimItsRunHolds() {
        assertThat(instance().claim("evt-1")).isEqualTo(Claim.CLAIMED);

        instance().release("evt-1");
        instance().release("never-claimed");

        assertThat(instance().claim("evt-1")).isEqualTo(Claim.IN_PROGRESS);
        assertThat(instance().claim("never-claimed")).isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aReleaseAfterCompletionDoesNotForgetTheEvent() {
        IdempotencyStore store = instance();
        assertThat(store.claim("evt-1")).isEqualTo(Claim.CLAIMED);
        store.complete("evt-1");

        store.release("evt-1");

        assertThat(instance().claim("evt-1")).isEqualTo(Claim.HANDLED);
    }
}
