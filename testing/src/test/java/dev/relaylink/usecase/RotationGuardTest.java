package dev.relaylink.usecase;

import dev.relaylink.wiring.PortObserver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.plan.Action;
import dev.relaylink.plan.Concern;
import dev.relaylink.plan.Planner;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.testing.TestSpecs;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The planner and a rotation under way: the gateway's TLS secret that serves the rotation's pending
 * certificate is the rotation's to finish, no second rotation starts, and a deleted secret or an
 * abandoned rotation is still repaired.
 */
class RotationGuardTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final LinkSpec SPEC = TestSpecs.example();
    private static final Set<Concern> SERVER_SIDE = EnumSet.of(Concern.SERVER_CERTIFICATE, Concern.EKS_SECRETS);
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryClouds link = new InMemoryClouds();
    private ServerCertificateRotation rotation;

    @BeforeEach
    void aServedCurrentCertificate() {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        var ports = link.ports().awsSide();
        rotation = new ServerCertificateRotation(SPEC, ports.serverCa(), ports.serverCertificates(), ports.eks(), ports.gatewayProbe(), clock, 2,
                Duration.ZERO);
        rotation.rotate("token-1");
    }

    @Test
    void betweenSetSecretAndFinishSecretTheGatewaysTlsSecretIsLeftToTheRotation() {
        startRotation(NOW);

        assertThat(serverSideActions(NOW.plus(Duration.ofMinutes(1)))).isEmpty();
    }

    @Test
    void noSecondRotationStartsWhileOneIsUnderWayEvenWhenTheCertificateIsDue() {
        Instant due = NOW.plus(SPEC.certificates().server().lifetime()).minus(Duration.ofDays(1));
        startRotation(due.minus(Duration.ofMinutes(5)));

        assertThat(serverSideActions(due)).noneMatch(a -> a instanceof Action.RotateServerCertificate);
    }

    @Test
    void aGatewayTlsSecretDeletedDuringTheRotationIsStillWrittenBack() {
        startRotation(NOW);
        link.eks.data.remove(SPEC.relay().namespace() + "/" + SPEC.relay().tlsSecret());

        assertThat(serverSideActions(NOW.plus(Duration.ofMinutes(1)))).singleElement().isInstanceOf(Action.WriteGatewayTlsSecret.class);
    }

    @Test
    void anAbandonedRotationNoLongerHoldsTheGatewayOnItsCertificate() {
        startRotation(NOW);

        assertThat(serverSideActions(NOW.plus(Planner.ABANDONED_ROTATION).plus(Duration.ofMinutes(1))))
                .singleElement().isInstanceOf(Action.WriteGatewayTlsSecret.class);
    }

    /** createSecret and setSecret of a second rotation at {@code at}: the gateway serves the pending certificate. */
    private void startRotation(Instant at) {
        clock.set(at);
        rotation.createSecret("token-2");
        link.serverCertificates.pendingSince = at;
        rotation.setSecret("token-2");
    }

    private List<Action> serverSideActions(Instant now) {
        var observed = new PortObserver(SPEC, link.ports()).observe(SERVER_SIDE);
        return Planner.plan(SPEC, observed, now, SERVER_SIDE).actions().stream()
                .filter(a -> a instanceof Action.WriteGatewayTlsSecret || a instanceof Action.RotateServerCertificate).toList();
    }
}
