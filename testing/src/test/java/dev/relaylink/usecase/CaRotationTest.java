package dev.relaylink.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.pki.RenewalPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both CAs renewed again and again under traffic: three CA lifetimes on a simulated clock (10 days
 * instead of a year: the same code path), AWS reconciling every 6 hours and Azure every 4 hours
 * out of phase, the trust exchange between them, a workload calling relay over mutual TLS 1.3 at
 * every 2-hour tick.
 */
class CaRotationTest {
    static final Duration CA_LIFETIME = Duration.ofDays(10);
    static final Duration CA_RENEW_BEFORE = Duration.ofDays(4);
    static final CaRotationWorld.Schedule SCHEDULE = new CaRotationWorld.Schedule(Duration.ofHours(2), 3, 0, 2, 1);
    static final Duration RUN = CA_LIFETIME.multipliedBy(3).plusDays(4);

    static CaRotationWorld world() throws Exception {
        return new CaRotationWorld(CaRotationWorld.spec(CA_LIFETIME, CA_RENEW_BEFORE,
                RenewalPolicy.before(Duration.ofDays(2), Duration.ofDays(1)), RenewalPolicy.percent(Duration.ofDays(2), 50)), SCHEDULE, true);
    }

    @Test
    void bothCasRenewForThreeLifetimesWithoutAFailedCall() throws Exception {
        try (CaRotationWorld world = world()) {
            world.runUntil(world.start.plus(RUN));
            System.out.println("CA rotation timeline (" + world.calls + " calls, " + world.failedCalls + " failed):");
            world.timeline.forEach(line -> System.out.println("  " + line));

            assertThat(world.violations).isEmpty();
            assertThat(world.failedCalls).isZero();
            assertThat(world.calls).isGreaterThan(380);
            // Three lifetimes: at least four generations of each CA, the first three retired.
            assertThat(world.generations("server")).isGreaterThanOrEqualTo(4);
            assertThat(world.generations("client")).isGreaterThanOrEqualTo(4);
            assertThat(world.retired("server")).isGreaterThanOrEqualTo(3);
            assertThat(world.retired("client")).isGreaterThanOrEqualTo(3);
            assertThat(world.timeline).anyMatch(l -> l.contains("server CA #3") && l.endsWith("issuing"))
                    .anyMatch(l -> l.contains("client CA #3") && l.endsWith("issuing"));
        }
    }

    /** A crash after each step of the protocol (the run stops there), then the side's next run finishes it. */
    @Test
    void aCrashAfterEveryProtocolStepCostsNoCall() throws Exception {
        List<String> steps = List.of("createCa", "publishCa", "publishClientCas", "applyCaBundle", "acknowledgeClientCas", "startIssuing",
                "importVersion", "applyTls", "mirrorServerCas", "acknowledgeServerCas", "putPending", "promote", "retireKey", "unpublishCa");
        try (CaRotationWorld world = world()) {
            // Bootstrap first, then arm the crashes one after the other through the renewals.
            world.runUntil(world.start.plus(Duration.ofDays(2)));
            int fired = 0;
            for (String step : steps) {
                world.link.failOn(step);
                while (world.link.failureArmed() && world.clock.instant().isBefore(world.start.plus(RUN))) {
                    world.step();
                }
                fired += world.link.failureArmed() ? 0 : 1;
            }
            world.runUntil(world.start.plus(RUN));
            world.timeline.forEach(line -> System.out.println("  " + line));

            assertThat(fired).as("every injected crash happened").isEqualTo(steps.size());
            assertThat(world.failedRuns).isGreaterThanOrEqualTo(steps.size());
            assertThat(world.violations).isEmpty();
            assertThat(world.failedCalls).isZero();
            assertThat(world.generations("server")).isGreaterThanOrEqualTo(4);
            assertThat(world.generations("client")).isGreaterThanOrEqualTo(4);
        }
    }

    /** One side not reconciling for 20 hours around a renewal (less than the leaves' renewal windows): issuing waits for it. */
    @Test
    void aStoppedSideDelaysTheSwitchButNoCall() throws Exception {
        try (CaRotationWorld world = world()) {
            // The first renewals are due on day 6: AWS is away then, Azure at the second (day 12).
            world.stopAws(world.start.plus(Duration.ofDays(6)), world.start.plus(Duration.ofDays(6)).plus(Duration.ofHours(20)));
            world.stopAzure(world.start.plus(Duration.ofDays(12)), world.start.plus(Duration.ofDays(12)).plus(Duration.ofHours(20)));
            world.runUntil(world.start.plus(RUN));
            world.timeline.forEach(line -> System.out.println("  " + line));

            assertThat(world.violations).isEmpty();
            assertThat(world.failedCalls).isZero();
            // The client CA #2 is created by Azure while AWS is away: it issues only after AWS came back and confirmed it.
            String switched = world.timeline.stream().filter(l -> l.contains("client CA #2") && l.endsWith("issuing")).findFirst().orElseThrow();
            assertThat(day(switched)).isGreaterThanOrEqualTo(6 + 20 / 24.0);
            assertThat(world.generations("server")).isGreaterThanOrEqualTo(4);
        }
    }

    private static double day(String line) {
        return Double.parseDouble(line.substring(4, 9).trim());
    }
}
