package dev.relaylink.usecase;

import dev.relaylink.testing.InMemoryIdempotencyStore;
import dev.relaylink.testing.InMemoryLinkLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.plan.Concern;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revoking a workload: a new certificate now, which replaces the old one before it was due; the
 * Azure reconcile lists the old serial in the CRL, the AWS reconcile copies it into the gateway's
 * Secret; the result says whether the gateway's CRL lists it, and one audit record names who asked.
 */
class WorkloadRevocationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final LinkSpec SPEC = TestSpecs.example();
    private static final SpiffeId CHECKOUT = TestPki.workload("payments", "checkout");
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryClouds link = new InMemoryClouds();

    {
        link.clock = clock;
    }

    private final AuditLog.InMemory audit = new AuditLog.InMemory();
    private final AuditLog.InMemory reconcileAudit = new AuditLog.InMemory();
    private ClientCertificateRotation rotation;
    private int events;

    @BeforeEach
    void bootstrap() {
        // The link as the functions leave it: both sides reconciled twice (the AWS side copies what the Azure side published).
        reconcile(Concern.ALL);
        reconcile(Concern.ALL);
        rotation = link.ports().azureSide().clientRotation();
    }

    private Reconciler.Handled reconcile(Set<Concern> concerns) {
        return Reconciler.of(SPEC, link.ports(), new InMemoryIdempotencyStore(clock, Duration.ofMinutes(5)), new InMemoryLinkLock(clock), reconcileAudit, clock, 3, Duration.ofMillis(1))
                .handle("event-" + ++events, concerns);
    }

    /** Both reconciles run now, as the local connection does; the gateway's CRL is read as the operator's command reads it. */
    private WorkloadRevocation.CrlDelivery reconcilesNow(List<String> ran) {
        return new WorkloadRevocation.CrlDelivery() {
            @Override
            public Optional<String> deliver(String requestId) {
                ran.add("azure " + reconcile(Concern.AZURE));
                ran.add("aws " + reconcile(Concern.AWS));
                return Optional.empty();
            }

            @Override
            public Optional<X509CRL> gatewayCrl() {
                return WorkloadRevocation.gatewayCrl(SPEC, link.ports());
            }
        };
    }

    /** The reconciles are left to their schedules: the command says what to wait for. */
    private WorkloadRevocation.CrlDelivery leftToSchedules() {
        return new WorkloadRevocation.CrlDelivery() {
            @Override
            public Optional<String> deliver(String requestId) {
                return Optional.of("the scheduled reconciles");
            }

            @Override
            public Optional<X509CRL> gatewayCrl() {
                return WorkloadRevocation.gatewayCrl(SPEC, link.ports());
            }
        };
    }

    @Test
    void theOldSerialIsInTheGatewaysCrlWhenRevokeReturnsAndTheWorkloadHoldsANewCertificate() {
        var old = link.clientCertificates.current(CHECKOUT).orElseThrow().leaf();
        assertThat(WorkloadRevocation.gatewayCrl(SPEC, link.ports()).orElseThrow().isRevoked(old)).isFalse();
        clock.advance(Duration.ofMinutes(3));
        List<String> ran = new ArrayList<>();

        var result = new WorkloadRevocation(rotation, link.ports().azureSide().clientCertificates(), reconcilesNow(ran), audit, clock)
                .revoke(CHECKOUT, "azure:ops@example.com", "key leaked");

        var current = link.clientCertificates.current(CHECKOUT).orElseThrow().leaf();
        assertThat(current.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        assertThat(link.aks.fingerprints.get("payments/relay-mtls")).isEqualTo(Certificates.fingerprint(current));
        assertThat(ran).containsExactly("azure APPLIED", "aws APPLIED");
        X509CRL crl = WorkloadRevocation.gatewayCrl(SPEC, link.ports()).orElseThrow();
        assertThat(crl.isRevoked(old)).isTrue();
        assertThat(crl.isRevoked(current)).isFalse();
        assertThat(result.revokedSerial()).contains(Certificates.serialHex(old));
        assertThat(result.listedInCrl()).isTrue();
        assertThat(result.waitingFor()).isEmpty();
        assertThat(audit.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(AuditRecord.Outcome.APPLIED);
            assertThat(r.action()).isEqualTo(WorkloadRevocation.ACTION);
            assertThat(r.target()).isEqualTo(CHECKOUT.toString());
            assertThat(r.reason()).startsWith("asked by azure:ops@example.com: key leaked; serial " + Certificates.serialHex(old))
                    .endsWith("old serial listed in the gateway's CRL");
        });
    }

    @Test
    void whenTheReconcilesAreLeftToTheirSchedulesTheResultAndTheAuditSayWhatToWaitFor() {
        var old = link.clientCertificates.current(CHECKOUT).orElseThrow().leaf();
        var result = new WorkloadRevocation(rotation, link.ports().azureSide().clientCertificates(), leftToSchedules(), audit, clock)
                .revoke(CHECKOUT, "os-user:ops", "rotation drill");
        assertThat(result.listedInCrl()).isFalse();
        assertThat(result.waitingFor()).contains("the scheduled reconciles");
        assertThat(WorkloadRevocation.gatewayCrl(SPEC, link.ports()).orElseThrow().isRevoked(old)).isFalse();
        assertThat(audit.records()).singleElement().satisfies(r -> assertThat(r.reason())
                .contains("old serial not yet in the gateway's CRL: waiting for the scheduled reconciles"));

        // the next scheduled reconciles then list it
        reconcile(Concern.AZURE);
        reconcile(Concern.AWS);
        assertThat(WorkloadRevocation.gatewayCrl(SPEC, link.ports()).orElseThrow().isRevoked(old)).isTrue();
    }

    @Test
    void aGatewayCrlThatCannotBeReadLeavesTheReplacementAuditedAndSaysWhatIsLeft() {
        var old = link.clientCertificates.current(CHECKOUT).orElseThrow().leaf();
        WorkloadRevocation.CrlDelivery unreadable = new WorkloadRevocation.CrlDelivery() {
            @Override
            public Optional<String> deliver(String requestId) {
                return Optional.empty();
            }

            @Override
            public Optional<X509CRL> gatewayCrl() {
                throw new IllegalStateException("no EKS context");
            }
        };
        var result = new WorkloadRevocation(rotation, link.ports().azureSide().clientCertificates(), unreadable, audit, clock)
                .revoke(CHECKOUT, "os-user:ops", "drill");
        assertThat(link.clientCertificates.current(CHECKOUT).orElseThrow().leaf().getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        assertThat(result.listedInCrl()).isFalse();
        assertThat(result.waitingFor()).hasValueSatisfying(w -> assertThat(w).contains("reading it failed: no EKS context"));
        assertThat(audit.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(AuditRecord.Outcome.APPLIED);
            assertThat(r.reason()).contains("serial " + Certificates.serialHex(old)).contains("reading it failed");
        });
    }

    @Test
    void aFailedRotationIsAuditedAsFailedAndRunsNoReconcile() {
        List<String> ran = new ArrayList<>();
        link.failOn("applyTls");

        assertThatThrownBy(() -> new WorkloadRevocation(rotation, link.ports().azureSide().clientCertificates(), reconcilesNow(ran), audit, clock)
                .revoke(CHECKOUT, "os-user:ops", "drill")).isInstanceOf(RuntimeException.class);

        assertThat(ran).isEmpty();
        // the pods may still hold the old certificate: it is not revoked until the new one is in their secret
        assertThat(audit.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(AuditRecord.Outcome.FAILED);
            assertThat(r.reason()).startsWith("asked by os-user:ops: drill; failed: ");
        });
    }
}
