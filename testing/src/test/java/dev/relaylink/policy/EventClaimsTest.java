package dev.relaylink.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.policy.EventClaims.Entry;
import dev.relaylink.policy.EventClaims.Status;
import dev.relaylink.port.IdempotencyStore.Claim;
import dev.relaylink.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The claim rule both clouds' stores translate: when a claim may replace, who may release, what a loser is told. */
class EventClaimsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final ClaimPolicy policy = new ClaimPolicy(Duration.ofMinutes(5), Duration.ofDays(1));
    private final EventClaims claims = new EventClaims(new MutableClock(NOW), policy);

    @Test
    void aClaimCarriesAnOwnerTokenOfItsOwnAndLivesAsLongAsItsRunCan() {
        Entry first = claims.claim(NOW);
        Entry second = claims.claim(NOW);

        assertThat(first.status()).isEqualTo(Status.IN_PROGRESS);
        assertThat(first.owner()).isNotBlank().isNotEqualTo(second.owner());
        assertThat(first.expiresAt()).isEqualTo(policy.claimExpiry(NOW));
        assertThat(claims.completion(NOW)).isEqualTo(new Entry(Status.COMPLETED, "", NOW.plus(Duration.ofDays(1))));
    }

    @Test
    void onlyAnExpiredEntryMayBeReplaced() {
        Entry held = claims.claim(NOW);

        assertThat(EventClaims.mayReplace(held, held.expiresAt().minusMillis(1))).isFalse();
        assertThat(EventClaims.mayReplace(held, held.expiresAt())).isTrue();
        assertThat(EventClaims.mayReplace(claims.completion(NOW), NOW.plus(Duration.ofHours(23)))).isFalse();
    }

    @Test
    void onlyTheOwnerReleasesAndNeverACompletion() {
        Entry held = claims.claim(NOW);

        assertThat(EventClaims.mayRelease(held, held.owner())).isTrue();
        assertThat(EventClaims.mayRelease(held, claims.claim(NOW).owner())).isFalse();
        assertThat(EventClaims.mayRelease(claims.completion(NOW), "")).isFalse();
    }

    @Test
    void aLostClaimIsHandledOnlyWhenItLostToACompletion() {
        assertThat(EventClaims.lostTo(Optional.of(Status.COMPLETED))).isEqualTo(Claim.HANDLED);
        assertThat(EventClaims.lostTo(Optional.of(Status.IN_PROGRESS))).isEqualTo(Claim.IN_PROGRESS);
        assertThat(EventClaims.lostTo(Optional.empty())).as("gone between the write and the read").isEqualTo(Claim.IN_PROGRESS);
    }

    @Test
    void anInstanceGivesBackOnlyWhatItsRunsHold() {
        Entry mine = claims.claim(NOW);
        assertThat(claims.won("evt-1", mine)).isEqualTo(Claim.CLAIMED);

        assertThat(claims.release("evt-2")).isEmpty();
        assertThat(claims.release("evt-1")).contains(mine.owner());
        assertThat(claims.release("evt-1")).as("given back once").isEmpty();
        claims.won("evt-3", claims.claim(NOW));
        claims.completed("evt-3");
        assertThat(claims.release("evt-3")).as("completed: nothing held").isEmpty();
    }
}
