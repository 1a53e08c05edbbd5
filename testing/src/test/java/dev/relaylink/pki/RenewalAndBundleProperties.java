package dev.relaylink.pki;

import dev.relaylink.testing.InMemorySigner;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class RenewalAndBundleProperties {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final java.security.PublicKey LEAF_KEY = Keys.generateP256().getPublic();
    private static final CertificateAuthority CA =
            CertificateAuthority.selfSigned(InMemorySigner.generate(), "renewal CA", EPOCH.minus(Duration.ofDays(1)), Duration.ofDays(1_000));

    @Property(tries = 200)
    void renewalIsDueExactlyInsideTheWindow(@ForAll @IntRange(min = 2, max = 400) int lifetimeDays,
                                            @ForAll @IntRange(min = 1, max = 99) int percent,
                                            @ForAll @LongRange(min = -10, max = 10_000) long probeHours,
                                            @ForAll boolean asPercent) {
        Duration lifetime = Duration.ofDays(lifetimeDays);
        Duration before = Duration.ofHours(Math.max(1, lifetime.toHours() * percent / 100));
        RenewalPolicy policy = asPercent ? RenewalPolicy.percent(lifetime, percent) : RenewalPolicy.before(lifetime, before);
        X509Certificate leaf = CA.issueServer(LEAF_KEY, "relay.example", EPOCH, lifetime);
        Instant probe = EPOCH.plus(Duration.ofHours(probeHours));

        // the window, said the other way round: what is left of the certificate's life at the probe
        Duration left = Duration.between(probe, leaf.getNotAfter().toInstant());
        Duration validity = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        boolean inWindow = asPercent
                ? left.multipliedBy(100).compareTo(validity.multipliedBy(percent)) <= 0
                : left.compareTo(before) <= 0;
        assertThat(policy.isDue(leaf, probe)).as("due at %s (%s left of %s)", probe, left, validity).isEqualTo(inWindow);
    }

    @Property(tries = 30)
    void mergeIsOrderIndependentAndIdempotent(@ForAll @IntRange(min = 1, max = 4) int count, @ForAll long seed) {
        List<TrustBundle> singles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            singles.add(TrustBundle.of(CertificateAuthority.selfSigned(InMemorySigner.generate(), "ca" + i, EPOCH.plusSeconds(i), Duration.ofDays(10)).certificate()));
        }
        TrustBundle forward = singles.stream().reduce(TrustBundle.empty(), TrustBundle::merge);
        List<TrustBundle> shuffled = new ArrayList<>(singles);
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
        TrustBundle backward = shuffled.stream().reduce(TrustBundle.empty(), TrustBundle::merge);
        assertThat(backward).isEqualTo(forward);
        assertThat(backward.pem()).isEqualTo(forward.pem());
        assertThat(forward.merge(forward)).isEqualTo(forward);
        assertThat(forward.certificates()).hasSize(count);
    }
}
