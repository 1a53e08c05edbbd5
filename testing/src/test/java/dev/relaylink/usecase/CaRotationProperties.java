package dev.relaylink.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.pki.RenewalPolicy;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The overlap protocol over random CA lifetimes, renewal windows, leaf lifetimes and reconcile
 * schedules (both sides out of phase, each on its own period): at every tick no bundle lacks the CA
 * of a live leaf, at most two generations of each CA are trusted, and no retired key's CA has a live
 * leaf (the checks of {@link CaRotationWorld}); and both CAs really renew.
 */
class CaRotationProperties {

    @Property(tries = 5)
    void theOverlapHoldsForAnyLifetimesWindowsAndSchedules(@ForAll @IntRange(min = 8, max = 16) int caDays,
                                                         @ForAll @IntRange(min = 1, max = 3) int serverLeafDays,
                                                         @ForAll @IntRange(min = 1, max = 3) int clientLeafDays,
                                                         @ForAll @IntRange(min = 0, max = 100) int windowShare,
                                                         @ForAll @IntRange(min = 1, max = 4) int awsEvery,
                                                         @ForAll @IntRange(min = 1, max = 4) int azureEvery,
                                                         @ForAll @IntRange(min = 0, max = 3) int azureOffset) throws Exception {
        // a window the spec reader accepts: longer than the longest leaf plus a day, at most half the CA lifetime
        int longestLeaf = Math.max(serverLeafDays, clientLeafDays);
        int minWindowHours = (longestLeaf + 1) * 24 + 1;
        int maxWindowHours = caDays * 12;
        if (minWindowHours > maxWindowHours) {
            caDays = (longestLeaf + 2) * 2;
            maxWindowHours = caDays * 12;
        }
        int windowHours = minWindowHours + (maxWindowHours - minWindowHours) * windowShare / 100;
        Duration ca = Duration.ofDays(caDays);
        var spec = CaRotationWorld.spec(ca, Duration.ofHours(windowHours),
                RenewalPolicy.percent(Duration.ofDays(serverLeafDays), 50), RenewalPolicy.percent(Duration.ofDays(clientLeafDays), 50));
        try (CaRotationWorld world = new CaRotationWorld(spec,
                new CaRotationWorld.Schedule(Duration.ofHours(2), awsEvery, 0, azureEvery, azureOffset), false)) {
            world.runUntil(world.start.plus(ca.multipliedBy(11).dividedBy(5)));

            assertThat(world.violations).isEmpty();
            assertThat(world.generations("server")).isGreaterThanOrEqualTo(3);
            assertThat(world.generations("client")).isGreaterThanOrEqualTo(3);
            assertThat(world.retired("server")).isGreaterThanOrEqualTo(1);
            assertThat(world.retired("client")).isGreaterThanOrEqualTo(1);
        }
    }
}
