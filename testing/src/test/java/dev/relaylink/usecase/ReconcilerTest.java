package dev.relaylink.usecase;

import dev.relaylink.testing.InMemoryIdempotencyStore;
import dev.relaylink.testing.InMemoryLinkLock;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.wiring.Side;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.plan.Concern;
import dev.relaylink.plan.Planner;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.state.Target;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.testing.TestSpecs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final LinkSpec SPEC = TestSpecs.example();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryClouds link = new InMemoryClouds();

    {
        link.clock = clock;
    }
    private final AuditLog.InMemory audit = new AuditLog.InMemory();
    private final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore(clock, Duration.ofMinutes(5));
    private final InMemoryLinkLock lock = new InMemoryLinkLock(clock);

    private Reconciler reconciler() {
        return reconciler(link.ports());
    }

    private Reconciler reconciler(Side side) {
        return Reconciler.of(SPEC, side, idempotency, lock, audit, clock, 3, Duration.ofMillis(1));
    }

    @Test
    void bootstrapFromEmptyCloudsBuildsTheWholeLink() {
        link.gatewayEndpoints.add(new Target("10.0.1.5", 8443));
        assertThat(reconciler().handle("bootstrap", Concern.ALL)).isEqualTo(Reconciler.Handled.APPLIED);

        assertThat(link.service.acceptanceRequired()).isTrue();
        assertThat(link.service.allowedPrincipals()).isEqualTo(SPEC.aws().endpointService().allowedPrincipals());
        assertThat(link.listeners).hasSize(1);
        // The spec's default: the Load Balancer Controller registers the pods from the binding; relay-link registers none.
        assertThat(link.targetGroupBindings).containsOnlyKeys("relay/relay-gateway");
        assertThat(link.targets).isEmpty();
        assertThat(link.serverCertificates.current()).isPresent();
        assertThat(link.clientCertificates.versions).hasSize(2);
        assertThat(link.eks.data).containsKeys("relay/relay-server-tls", "relay/relay-client-ca");
        assertThat(link.gatewayPolicies).containsOnlyKeys("relay/relay-client-validation");
        assertThat(link.aks.data).containsKeys("payments/relay-mtls", "shipping/relay-mtls");
        assertThat(link.egressPolicies).containsOnlyKeys("payments/relay-link-egress-checkout", "shipping/relay-link-egress-tracker");
        assertThat(audit.records()).extracting(AuditRecord::outcome).containsOnly(Outcome.APPLIED);
        // a second event finds nothing to do
        assertThat(reconciler().handle("tick", Concern.ALL)).isEqualTo(Reconciler.Handled.NO_CHANGE);
    }

    @Test
    void aFailingPortAtStepKLeavesTheRestForTheRetryWhichFinishes() {
        link.service = new EndpointServiceState("vpce-svc-1", "svc", false, Set.of("arn:aws:iam::" + TestSpecs.STRANGER_ACCOUNT + ":root"), Set.of(TestSpecs.LB_ARN));
        link.connections.put("vpce-a", new EndpointConnection("vpce-a", TestSpecs.CONSUMER_ACCOUNT, EndpointConnection.PENDING_ACCEPTANCE));
        link.connections.put("vpce-b", new EndpointConnection("vpce-b", TestSpecs.STRANGER_ACCOUNT, EndpointConnection.PENDING_ACCEPTANCE));
        link.failOn("modifyPermissions");
        Set<Concern> concerns = Set.of(Concern.ENDPOINT_SERVICE, Concern.ENDPOINT_CONNECTIONS);

        assertThatThrownBy(() -> reconciler().handle("evt-1", concerns)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("applied 1 of 4");
        assertThat(link.service.acceptanceRequired()).isTrue();                       // step 1 done
        assertThat(link.connections.get("vpce-a").state()).isEqualTo(EndpointConnection.PENDING_ACCEPTANCE); // nothing after k
        assertThat(link.connections.get("vpce-b").state()).isEqualTo(EndpointConnection.PENDING_ACCEPTANCE);
        assertThat(audit.records()).extracting(AuditRecord::outcome)
                .containsExactly(Outcome.APPLIED, Outcome.FAILED, Outcome.SKIPPED, Outcome.SKIPPED);

        // the platform retries the same event: the claim was released, the rest is applied
        assertThat(reconciler().handle("evt-1", concerns)).isEqualTo(Reconciler.Handled.APPLIED);
        assertThat(link.service.allowedPrincipals()).isEqualTo(SPEC.aws().endpointService().allowedPrincipals());
        assertThat(link.connections.get("vpce-a").state()).isEqualTo(EndpointConnection.AVAILABLE);
        assertThat(link.connections.get("vpce-b").state()).isEqualTo(EndpointConnection.REJECTED);
        assertThat(link.calls.stream().filter("requireAcceptance"::equals)).hasSize(1); // step 1 not repeated
    }

    @Test
    void theAzureBootstrapPublishesItsClientCaToAwsBeforeIssuingAndMirrorsTheServerCas() {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365)); // the AWS side bootstrapped first
        assertThat(reconciler(link.azurePorts()).handle("azure-bootstrap", Concern.AZURE)).isEqualTo(Reconciler.Handled.APPLIED);

        assertThat(link.clientCasInAws).isEqualTo(link.clientCa.certificates()).hasSize(1);
        assertThat(link.serverCasInKeyVault).isEqualTo(link.serverCa.certificates());
        List<String> actions = audit.records().stream().map(AuditRecord::action).toList();
        assertThat(actions).containsSubsequence("CreateCa", "PublishClientCas", "RotateClientCertificate");
        assertThat(actions).containsSubsequence("MirrorServerCas", "RotateClientCertificate");
        assertThat(link.aks.data.get("payments/relay-mtls").get("ca.crt"))
                .isEqualTo(dev.relaylink.pki.TrustBundle.of(link.serverCa.certificates()).pem());
        // the next tick finds both copies current: nothing crosses again
        link.calls.clear();
        assertThat(reconciler(link.azurePorts()).handle("azure-tick", Concern.AZURE)).isEqualTo(Reconciler.Handled.NO_CHANGE);
        assertThat(List.copyOf(link.calls)).doesNotContain("publishClientCas", "mirrorServerCas");
    }

    @Test
    void aFailedPublishLeavesTheOldBundleOnAwsAndIssuesNothingThatNeedsTheNewOne() {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        var old = dev.relaylink.pki.CertificateAuthority.selfSigned(dev.relaylink.testing.InMemorySigner.generate(), "old client CA",
                NOW.minus(Duration.ofDays(10)), Duration.ofDays(365)).certificate();
        link.clientCasInAws.add(old);
        link.failOn("publishClientCas");

        assertThatThrownBy(() -> reconciler(link.azurePorts()).handle("azure-1", Concern.AZURE)).isInstanceOf(IllegalStateException.class);
        assertThat(link.clientCasInAws).containsExactly(old);
        assertThat(link.clientCertificates.versions).isEmpty();
        assertThat(link.aks.data).isEmpty();

        // the retry (same event: the claim was released) publishes, then issues
        assertThat(reconciler(link.azurePorts()).handle("azure-1", Concern.AZURE)).isEqualTo(Reconciler.Handled.APPLIED);
        assertThat(link.clientCasInAws).isEqualTo(link.clientCa.certificates()).doesNotContain(old);
        assertThat(link.clientCertificates.versions).hasSize(2);
    }

    @Test
    void aDuplicateEventIdIsANoOpWithAnAuditRecord() {
        link.gatewayEndpoints.add(new Target("10.0.1.5", 8443));
        reconciler().handle("evt-dup", Set.of(Concern.LOAD_BALANCER));
        link.listeners.clear(); // drift after the first delivery
        link.calls.clear();

        assertThat(reconciler().handle("evt-dup", Set.of(Concern.LOAD_BALANCER))).isEqualTo(Reconciler.Handled.DUPLICATE);
        assertThat(link.calls).isEmpty();
        assertThat(link.listeners).isEmpty();
        AuditRecord last = audit.records().getLast();
        assertThat(last.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(last.eventId()).isEqualTo("evt-dup");
    }

    @Test
    void whileTheLinkIsLockedAConcurrentRunWaitsThenGivesUpRetryably() throws Exception {
        var lease = lock.tryAcquire(SPEC.name(), Duration.ofMinutes(5)).orElseThrow();
        assertThatThrownBy(() -> reconciler().handle("evt-busy", Set.of(Concern.LOAD_BALANCER)))
                .isInstanceOf(Reconciler.LinkBusyException.class);
        assertThat(link.calls).isEmpty();
        lease.close();
        // the claim was released: the retry runs
        assertThat(reconciler().handle("evt-busy", Set.of(Concern.LOAD_BALANCER))).isEqualTo(Reconciler.Handled.APPLIED);
    }

    @Test
    void twoRotationsOfTheSameCertificateAtOnceDoNotInterleave() throws Exception {
        link.serverCa.create(Planner.SERVER_CA_NAME, NOW, Duration.ofDays(365));
        Reconciler reconciler = reconciler();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        Reconciler.Work rotation = () -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            concurrent.decrementAndGet();
            return true;
        };
        Thread first = Thread.ofVirtual().start(() -> reconciler.once("rotate-1", "rotation", rotation));
        inside.await();
        assertThatThrownBy(() -> reconciler.once("rotate-2", "rotation", rotation)).isInstanceOf(Reconciler.LinkBusyException.class);
        release.countDown();
        first.join();
        assertThat(maxConcurrent.get()).isEqualTo(1);
        assertThat(reconciler.once("rotate-2", "rotation", rotation)).isEqualTo(Reconciler.Handled.APPLIED);
    }

    @Test
    void eachSideCreatesItsCaButIssuesOnlyOnceThePeersCasArePublished() {
        link.gatewayEndpoints.add(new Target("10.0.1.5", 8443));
        reconciler().handle("aws-1", Concern.AWS);
        assertThat(link.serverCa.certificates()).hasSize(1);
        assertThat(link.serverCertificates.current()).as("no server certificate before the gateway can check clients").isEmpty();
        reconciler().handle("azure-1", Concern.AZURE);
        assertThat(link.clientCa.certificates()).hasSize(1);
        assertThat(link.clientCertificates.versions).hasSize(2); // the server CA exists: workloads can verify relay

        reconciler().handle("aws-2", Concern.AWS);
        assertThat(link.serverCertificates.current()).isPresent();
        assertThat(link.eks.data).containsKeys("relay/relay-server-tls", "relay/relay-client-ca");
    }

    @Test
    void aRejectedEventIsAuditedWithItsReason() {
        reconciler().reject("evt-x", "EndpointServiceDrift", "account 999988887777 is not the link's");
        assertThat(audit.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(r.reason()).contains("999988887777");
        });
        assertThat(link.calls).isEmpty();
    }

    @Test
    void strangersAreRejectedEvenWhenTheServiceCannotBeLockedDownYet() {
        link.service = new EndpointServiceState("vpce-svc-1", "svc", false, Set.of(), Set.of(TestSpecs.LB_ARN));
        link.connections.put("vpce-a", new EndpointConnection("vpce-a", TestSpecs.CONSUMER_ACCOUNT, EndpointConnection.PENDING_ACCEPTANCE));
        link.connections.put("vpce-b", new EndpointConnection("vpce-b", TestSpecs.STRANGER_ACCOUNT, EndpointConnection.PENDING_ACCEPTANCE));
        // only connections were observed: the open service is not locked down by this plan, so nothing is accepted
        reconciler().handle("sns-1", Set.of(Concern.ENDPOINT_CONNECTIONS));
        assertThat(link.connections.get("vpce-a").state()).isEqualTo(EndpointConnection.PENDING_ACCEPTANCE);
        assertThat(link.connections.get("vpce-b").state()).isEqualTo(EndpointConnection.REJECTED);
        assertThat(List.copyOf(link.calls)).doesNotContain("accept");
    }
}
