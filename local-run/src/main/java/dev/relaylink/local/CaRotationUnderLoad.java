package dev.relaylink.local;

import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.Certificates;
import dev.relaylink.spec.LinkSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Both CAs renewed while a workload keeps calling relay, on the link's fast clock: it jumps to where
 * both issuing CAs are due, then the scheduled reconciles of both sides (AWS, then Azure, in turn)
 * run the overlap protocol with traffic between every run: next generations, publication across
 * clouds, confirmations, the switch, re-issued leaves; then it jumps past the old CAs' expiry and the
 * reconciles retire them. During a jump the workload waits: leaves expire across a jump of months,
 * which no real clock does, and the first runs after it renew them.
 */
final class CaRotationUnderLoad {
    private static final int ROUNDS = 8;
    private static final int CALLS_BETWEEN_RUNS = 5;

    private final LocalFunctions link;
    private final LocalClouds clouds;
    final Map<String, Object> figures = new LinkedHashMap<>();

    CaRotationUnderLoad(LocalFunctions link) {
        this.link = link;
        this.clouds = link.clouds;
    }

    String run() throws Exception {
        LinkSpec spec = clouds.spec;
        Supplier<List<X509Certificate>> server = () -> clouds.awsLink.ports().serverCa().certificates();
        Supplier<List<X509Certificate>> client = () -> clouds.azureLink.ports().clientCa().certificates();
        X509Certificate serverBefore = server.get().getFirst();
        X509Certificate clientBefore = client.get().getFirst();
        int calls;
        List<String> failures;
        try (WorkloadTraffic traffic = new WorkloadTraffic(clouds, spec.workloads().get(0))) {
            traffic.awaitMoreCalls(CALLS_BETWEEN_RUNS);
            Instant due = later(spec.certificates().ca().renewAt(serverBefore), spec.certificates().ca().renewAt(clientBefore));
            traffic.paused(() -> jumpTo(due.plus(Duration.ofMinutes(1))));
            for (int round = 0; round < ROUNDS && (same(server.get().getFirst(), serverBefore) || same(client.get().getFirst(), clientBefore)); round++) {
                reconcileBoth(traffic);
            }
            LocalRun.require(!same(server.get().getFirst(), serverBefore), "the server CA's next generation issues");
            LocalRun.require(!same(client.get().getFirst(), clientBefore), "the client CA's next generation issues");
            reconcileBoth(traffic); // every leaf under the new CAs, every bundle confirmed
            Instant expired = later(serverBefore.getNotAfter().toInstant(), clientBefore.getNotAfter().toInstant());
            traffic.paused(() -> jumpTo(expired.plus(Duration.ofMinutes(1))));
            for (int round = 0; round < ROUNDS && (CaGenerations.find(server.get(), serverBefore).isPresent()
                    || CaGenerations.find(client.get(), clientBefore).isPresent()); round++) {
                reconcileBoth(traffic);
            }
            LocalRun.require(CaGenerations.find(server.get(), serverBefore).isEmpty(), "the old server CA is retired");
            LocalRun.require(CaGenerations.find(client.get(), clientBefore).isEmpty(), "the old client CA is retired");
            traffic.awaitMoreCalls(CALLS_BETWEEN_RUNS);
            traffic.close();
            calls = traffic.calls();
            failures = traffic.failures();
        }
        figures.put("callsDuringCaRotation", (long) calls);
        figures.put("failedCalls", (long) failures.size());
        figures.put("simulatedDays", clouds.clock.offset().toDays());
        LocalRun.require(failures.isEmpty(), failures.size() + " failed calls, first: " + failures.stream().limit(2).toList());
        return String.format("server CA %s -> %s, client CA %s -> %s over %d simulated days, old CAs retired; %d calls, 0 failed",
                fingerprint(serverBefore), fingerprint(server.get().getFirst()), fingerprint(clientBefore), fingerprint(client.get().getFirst()),
                clouds.clock.offset().toDays(), calls);
    }

    /** The jump, then both sides' runs until the leaves the jump expired are renewed. */
    private void jumpTo(Instant at) {
        clouds.clock.advance(Duration.between(clouds.clock.instant(), at));
        link.invoke(link.awsReconcile, link.events.scheduled());
        link.azureReconcile();
        link.invoke(link.awsReconcile, link.events.scheduled());
        link.azureReconcile();
    }

    private void reconcileBoth(WorkloadTraffic traffic) throws InterruptedException {
        link.invoke(link.awsReconcile, link.events.scheduled());
        traffic.awaitMoreCalls(CALLS_BETWEEN_RUNS);
        link.azureReconcile();
        traffic.awaitMoreCalls(CALLS_BETWEEN_RUNS);
        clouds.clock.advance(Duration.ofMinutes(15));
    }

    private static boolean same(X509Certificate a, X509Certificate b) {
        return Certificates.fingerprint(a).equals(Certificates.fingerprint(b));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String fingerprint(X509Certificate ca) {
        return Certificates.fingerprint(ca).substring(0, 8);
    }
}
