package dev.relaylink.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.plan.Planner;
import dev.relaylink.port.RevocationList;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.InMemoryLink;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Revoking a workload: a new certificate now, the old serial to the revocation list when there is one, one audit record naming who asked. */
class WorkloadRevocationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final LinkSpec SPEC = TestSpecs.example();
    private static final SpiffeId CHECKOUT = TestPki.workload("payments", "checkout");
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryLink link = new InMemoryLink();
    private final AuditLog.InMemory audit = new AuditLog.InMemory();
    private ClientCertificateRotation rotation;

    record Revoked(String issuer, BigInteger serial, Instant at, String reason) {
    }

    @BeforeEach
    void bootstrap() {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        link.clientCa.create(Planner.CLIENT_CA_NAME, NOW, Duration.ofDays(365));
        var ports = link.ports();
        rotation = new ClientCertificateRotation(SPEC, ports.clientCa(), ports.clientCertificates(), ports.serverCaCertificates(), ports.aks(), clock);
        rotation.rotateNow(CHECKOUT);
    }

    @Test
    void theOldSerialGoesToTheRevocationListAndTheWorkloadHoldsANewCertificate() {
        var old = link.clientCertificates.current(CHECKOUT).orElseThrow().leaf();
        List<Revoked> listed = new ArrayList<>();
        RevocationList crl = (issuer, serial, at, reason) -> listed.add(new Revoked(issuer, serial, at, reason));
        clock.advance(Duration.ofMinutes(3));

        var result = new WorkloadRevocation(rotation, link.ports().clientCertificates(), Optional.of(crl), audit, clock)
                .revoke(CHECKOUT, "azure:ops@example.com", "key leaked");

        var current = link.clientCertificates.current(CHECKOUT).orElseThrow().leaf();
        assertThat(current.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        assertThat(link.aks.fingerprints.get("payments/relay-mtls")).isEqualTo(Certificates.fingerprint(current));
        assertThat(listed).containsExactly(new Revoked(old.getIssuerX500Principal().getName(), old.getSerialNumber(), clock.instant(), "key leaked"));
        assertThat(result.revokedSerial()).contains(Certificates.serialHex(old));
        assertThat(result.listedInCrl()).isTrue();
        assertThat(audit.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(AuditRecord.Outcome.APPLIED);
            assertThat(r.action()).isEqualTo(WorkloadRevocation.ACTION);
            assertThat(r.target()).isEqualTo(CHECKOUT.toString());
            assertThat(r.reason()).startsWith("asked by azure:ops@example.com: key leaked; serial " + Certificates.serialHex(old))
                    .endsWith("old serial listed in the CRL");
        });
    }

    @Test
    void withoutARevocationListTheResultAndTheAuditSayTheOldCertificateStaysValid() {
        var result = new WorkloadRevocation(rotation, link.ports().clientCertificates(), Optional.empty(), audit, clock)
                .revoke(CHECKOUT, "os-user:ops", "rotation drill");
        assertThat(result.listedInCrl()).isFalse();
        assertThat(audit.records()).singleElement().satisfies(r -> assertThat(r.reason()).contains("NOT in a CRL"));
    }

    @Test
    void aFailedRotationIsAuditedAsFailedAndListsNothing() {
        List<Revoked> listed = new ArrayList<>();
        link.failOn("applyTls");

        assertThatThrownBy(() -> new WorkloadRevocation(rotation, link.ports().clientCertificates(),
                Optional.of((issuer, serial, at, reason) -> listed.add(new Revoked(issuer, serial, at, reason))), audit, clock)
                .revoke(CHECKOUT, "os-user:ops", "drill")).isInstanceOf(RuntimeException.class);

        assertThat(listed).isEmpty();
        // the pods may still hold the old certificate: it is not revoked until the new one is in their secret
        assertThat(audit.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(AuditRecord.Outcome.FAILED);
            assertThat(r.reason()).startsWith("asked by os-user:ops: drill; failed: ");
        });
    }
}
