package dev.relaylink.plan;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.state.ObservedState;
import dev.relaylink.testing.TestSpecs;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prints how long one plan takes for 10,000 endpoint connections and 1,000 workloads (a figure,
 * not a test). Run: scripts/benchmark, or the main method with the testing module's test classpath.
 */
public final class PlannerBenchmark {
    public static void main(String[] args) {
        int connections = 10_000;
        int workloads = 1_000;
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        LinkSpec base = TestSpecs.example();
        List<LinkSpec.Workload> many = new ArrayList<>();
        for (int i = 0; i < workloads; i++) {
            many.add(new LinkSpec.Workload("ns-" + (i % 50), "sa-" + i, "relay-mtls"));
        }
        LinkSpec spec = new LinkSpec(base.name(), base.relay(), base.aws(), base.azure(), many, base.certificates(), base.trustDomain());

        CertificateAuthority clientCa = CertificateAuthority.selfSigned(InMemorySigner.generate(), "client CA", now.minus(Duration.ofDays(1)), Duration.ofDays(365));
        PublicKey key = Keys.generateP256().getPublic();
        Map<SpiffeId, List<X509Certificate>> certs = new HashMap<>();
        for (LinkSpec.Workload w : many) {
            SpiffeId id = w.spiffeId(spec.trustDomain());
            // three in four fresh, the rest due: the planner must look at every one
            Instant issued = certs.size() % 4 == 0 ? now.minus(Duration.ofDays(6)) : now.minus(Duration.ofHours(1));
            certs.put(id, List.of(clientCa.issueClient(key, id, issued, spec.certificates().client().lifetime())));
        }
        List<EndpointConnection> endpointConnections = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            String owner = i % 3 == 0 ? TestSpecs.STRANGER_ACCOUNT : TestSpecs.CONSUMER_ACCOUNT;
            String state = i % 2 == 0 ? EndpointConnection.PENDING_ACCEPTANCE : EndpointConnection.AVAILABLE;
            endpointConnections.add(new EndpointConnection(String.format("vpce-%017x", i), owner, state));
        }
        ObservedState observed = ObservedState.empty()
                .withPrivateLink(new dev.relaylink.state.PrivateLinkState(Optional.of(new EndpointServiceState("vpce-svc-1", "svc", true,
                        spec.aws().endpointService().allowedPrincipals(), Set.of(TestSpecs.LB_ARN))), endpointConnections))
                .withCertificates(dev.relaylink.state.CertificateState.none().withCas(List.of(), List.of(clientCa.certificate()))
                        .withClientCertificates(certs));
        Set<Concern> concerns = java.util.EnumSet.of(Concern.ENDPOINT_CONNECTIONS, Concern.CLIENT_CERTIFICATES, Concern.AKS_SECRETS);

        int actions = 0;
        for (int i = 0; i < 5; i++) { // warm-up
            actions = Planner.plan(spec, observed, now, concerns).actions().size();
        }
        long[] millis = new long[15];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            Planner.plan(spec, observed, now, concerns);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        System.out.printf("planner: %,d endpoint connections + %,d workloads -> %,d actions; median %d ms, min %d ms, max %d ms (%d runs, warm)%n",
                connections, workloads, actions, millis[millis.length / 2], millis[0], millis[millis.length - 1], millis.length);
    }
}
