package dev.relaylink.usecase;

import dev.relaylink.wiring.ActionSteps;
import dev.relaylink.wiring.AwsSide;
import dev.relaylink.wiring.AzureSide;
import dev.relaylink.wiring.PortObserver;
import dev.relaylink.audit.AuditLog;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.plan.Concern;
import dev.relaylink.plan.Executor;
import dev.relaylink.plan.Plan;
import dev.relaylink.plan.Planner;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.testing.MutableClock;
import dev.relaylink.testing.TestSpecs;
import dev.relaylink.tls.MutualTls;
import dev.relaylink.testing.RelayClient;
import dev.relaylink.testing.RelayGateway;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Both clouds of one link on a simulated clock: each side's reconcile (planner, executor, the real
 * rotation use cases) on its own schedule, the trust exchange between them, and optionally a
 * workload calling relay over mutual TLS (JSSE, 127.0.0.1) at every tick, with certificates checked
 * at the simulated time. After every tick it checks what a user relies on and records a timeline of
 * the CA generations: created, published across clouds, in every consumer's bundle, confirmed by the
 * far side, issuing, retired.
 */
final class CaRotationWorld implements AutoCloseable {
    static final Set<Concern> AWS = EnumSet.of(Concern.SERVER_CERTIFICATE, Concern.EKS_SECRETS, Concern.CA_GENERATIONS);
    static final Set<Concern> AZURE = EnumSet.of(Concern.CLIENT_CERTIFICATES, Concern.AKS_SECRETS, Concern.TRUST_EXCHANGE, Concern.CA_GENERATIONS);

    /** Each side reconciles every {@code every} ticks, starting at tick {@code offset}. */
    record Schedule(Duration tick, int awsEvery, int awsOffset, int azureEvery, int azureOffset) {
    }

    final LinkSpec spec;
    final Schedule schedule;
    final InMemoryClouds link = new InMemoryClouds();
    final MutableClock clock;
    final Instant start;
    private final PortObserver awsObserver;
    private final PortObserver azureObserver;
    private final Executor awsExecutor;
    private final Executor azureExecutor;
    private final RelayGateway gateway;
    final List<String> timeline = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    /** Runs of a side that stopped at a failure (an injected crash), to be finished by its next run. */
    int failedRuns;
    int calls;
    int failedCalls;
    int tick;
    boolean linkUp;
    private final Map<String, Set<String>> seen = new LinkedHashMap<>();
    private final Map<String, Integer> generationNumbers = new LinkedHashMap<>();
    private final Map<String, String> issuing = new LinkedHashMap<>();
    private final List<Instant[]> awsStopped = new ArrayList<>();
    private final List<Instant[]> azureStopped = new ArrayList<>();
    private final Set<String> checkedLeaves = new LinkedHashSet<>();

    CaRotationWorld(LinkSpec spec, Schedule schedule, boolean traffic) throws java.io.IOException {
        this.spec = spec;
        this.schedule = schedule;
        this.start = Instant.parse("2026-01-01T00:00:00Z");
        this.clock = new MutableClock(start);
        link.spec = spec;
        link.clock = clock;
        link.probeAttempts = 1;
        AwsSide aws = link.awsPorts();
        AzureSide azure = link.azurePorts();
        AuditLog audit = record -> { };
        this.awsObserver = new PortObserver(spec, aws);
        this.azureObserver = new PortObserver(spec, azure);
        this.awsExecutor = new Executor(new ActionSteps(spec, aws, clock), audit, clock);
        this.azureExecutor = new Executor(new ActionSteps(spec, azure, clock), audit, clock);
        this.gateway = traffic ? RelayGateway.start(this::gatewayContext) : null;
    }

    /** A CA lifetime of {@code caDays} renewed {@code renewDays} before expiry, with leaves of the given days. */
    static LinkSpec spec(Duration caLifetime, Duration caRenewBefore, RenewalPolicy server, RenewalPolicy client) {
        LinkSpec example = TestSpecs.example();
        return new LinkSpec(example.name(), example.relay(), example.aws(), example.azure(), example.workloads(),
                new LinkSpec.CertificatePolicy(server, client, caLifetime, RenewalPolicy.before(caLifetime, caRenewBefore)), example.trustDomain());
    }

    void stopAws(Instant from, Instant until) {
        awsStopped.add(new Instant[] {from, until});
    }

    void stopAzure(Instant from, Instant until) {
        azureStopped.add(new Instant[] {from, until});
    }

    void runUntil(Instant end) {
        while (clock.instant().isBefore(end)) {
            step();
        }
    }

    void step() {
        Instant now = clock.instant();

        if (tick % schedule.awsEvery() == schedule.awsOffset() % schedule.awsEvery() && !stopped(awsStopped, now)) {
            reconcile("aws", awsObserver, awsExecutor, AWS);
        }
        if (tick % schedule.azureEvery() == schedule.azureOffset() % schedule.azureEvery() && !stopped(azureStopped, now)) {
            reconcile("azure", azureObserver, azureExecutor, AZURE);
        }
        observeGenerations();
        checkInvariants();
        if (gateway != null && linkUp) {
            callRelay();
        }

        tick++;
        clock.advance(schedule.tick());
    }

    private void reconcile(String side, PortObserver observer, Executor executor, Set<Concern> concerns) {
        try {
            Plan plan = Planner.plan(spec, observer.observe(concerns), clock.instant(), concerns);
            if (!executor.execute(side + "-" + tick, plan).succeeded()) {
                failedRuns++;
            }
        } catch (RuntimeException e) { // an observation that crashed: the next run starts again
            failedRuns++;
        }
    }

    private static boolean stopped(List<Instant[]> windows, Instant now) {
        return windows.stream().anyMatch(w -> !now.isBefore(w[0]) && now.isBefore(w[1]));
    }

    // --- what the clusters hold ---

    private Optional<Map<String, String>> eks(String name) {
        return Optional.ofNullable(link.eks.data.get(spec.relay().namespace() + "/" + name));
    }

    private Optional<Map<String, String>> aks(LinkSpec.Workload workload) {
        return Optional.ofNullable(link.aks.data.get(workload.namespace() + "/" + workload.secretName()));
    }

    private static TrustBundle bundle(Map<String, String> secret) {
        String pem = secret.get("ca.crt");
        return pem == null || pem.isBlank() ? TrustBundle.empty() : TrustBundle.parse(pem);
    }

    private static Credential credential(Map<String, String> secret) {
        return new Credential(Pem.readPrivateKey(secret.get("tls.key")), Pem.readCertificates(secret.get("tls.crt")));
    }

    private TrustBundle gatewayBundle() {
        return eks(spec.relay().clientCaSecret()).map(CaRotationWorld::bundle).orElse(TrustBundle.empty());
    }

    /** The CAs every workload's bundle holds (the intersection). */
    private List<X509Certificate> workloadsBundle() {
        List<X509Certificate> common = null;
        for (LinkSpec.Workload w : spec.workloads()) {
            List<X509Certificate> cas = aks(w).map(CaRotationWorld::bundle).map(TrustBundle::certificates).orElse(List.of());
            common = common == null ? new ArrayList<>(cas) : new ArrayList<>(common.stream().filter(c -> TrustBundle.of(cas).contains(c)).toList());
        }
        return common == null ? List.of() : common;
    }

    /** Contexts rebuilt only when the secrets they come from change (as a gateway or pod reloads); validity is checked on the clock. */
    private final Map<String, javax.net.ssl.SSLContext> contexts = new java.util.concurrent.ConcurrentHashMap<>();

    private javax.net.ssl.SSLContext gatewayContext() {
        Map<String, String> tls = eks(spec.relay().tlsSecret()).orElseThrow();
        TrustBundle trusted = gatewayBundle();
        return contexts.computeIfAbsent("gateway" + tls + trusted.fingerprints(),
                k -> MutualTls.serverContext(credential(tls), trusted, spec.allowedSpiffeIds(), clock));
    }

    // --- the workload's calls ---

    private void callRelay() {
        LinkSpec.Workload workload = spec.workloads().get(tick % spec.workloads().size());
        calls++;
        try {
            Map<String, String> secret = aks(workload).orElseThrow();
            javax.net.ssl.SSLContext context = contexts.computeIfAbsent(workload.namespace() + secret,
                    k -> MutualTls.clientContext(credential(secret), bundle(secret), clock));
            String answer = RelayClient.call(context,
                    spec.relay().hostName(), gateway.port(), "tick " + tick);
            if (!answer.contains(workload.spiffeId(spec.trustDomain()).toString())) {
                throw new IllegalStateException("unexpected answer " + answer);
            }
        } catch (Exception e) {
            failedCalls++;
            violations.add(at() + " call from " + workload.namespace() + " failed: " + e.getMessage());
        }
    }

    // --- the timeline ---

    private void observeGenerations() {
        track("server", link.serverCa.certificates(), link.serverCasInKeyVault, workloadsBundle(), link.serverCasInWorkloads,
                link.serverCa.retired);
        track("client", link.clientCa.certificates(), link.clientCasInAws, gatewayBundle().certificates(), link.clientCasInGateway,
                link.clientCa.retired);
    }

    private void track(String side, List<X509Certificate> published, List<X509Certificate> farCopy, List<X509Certificate> consumers,
                       List<X509Certificate> confirmed, List<X509Certificate> retired) {
        for (X509Certificate ca : published) {
            mark(side, ca, "created");
        }
        for (X509Certificate ca : farCopy) {
            mark(side, ca, side.equals("server") ? "mirrored to Azure" : "published to AWS");
        }
        for (X509Certificate ca : consumers) {
            mark(side, ca, side.equals("server") ? "in every workload's bundle" : "in the gateway's bundle");
        }
        for (X509Certificate ca : confirmed) {
            mark(side, ca, "confirmed by the far side");
        }
        for (X509Certificate ca : retired) {
            mark(side, ca, "retired (key out of use, out of every list)");
        }
        if (!published.isEmpty()) {
            String now = Certificates.fingerprint(published.getFirst());
            String before = issuing.put(side, now);
            if (!now.equals(before)) {
                mark(side, published.getFirst(), "issuing");
                // The switch must never come before the consumers on the other cloud hold the CA.
                if (before != null && !TrustBundle.of(consumers).contains(published.getFirst())) {
                    violations.add(at() + " " + side + " CA switched before every consumer's bundle held it");
                }
            }
        }
    }

    private void mark(String side, X509Certificate ca, String event) {
        String fingerprint = Certificates.fingerprint(ca);
        int number = generationNumbers.computeIfAbsent(side + fingerprint, k -> (int) generationNumbers.keySet().stream()
                .filter(key -> key.startsWith(side)).count() + 1);
        if (seen.computeIfAbsent(side + fingerprint, k -> new LinkedHashSet<>()).add(event)) {
            timeline.add(String.format("%-9s %s CA #%d (%s) %s", at(), side, number, fingerprint.substring(0, 8), event));
        }
    }

    String at() {
        return String.format("day %5.2f", Duration.between(start, clock.instant()).toMinutes() / 1440.0);
    }

    int generations(String side) {
        return (int) generationNumbers.keySet().stream().filter(k -> k.startsWith(side)).count();
    }

    int retired(String side) {
        return side.equals("server") ? link.serverCa.retired.size() : link.clientCa.retired.size();
    }

    // --- what must hold at every tick ---

    private void checkInvariants() {
        Instant now = clock.instant();
        Optional<Map<String, String>> tls = eks(spec.relay().tlsSecret());
        TrustBundle gatewayTrusts = gatewayBundle();
        boolean up = tls.isPresent() && !gatewayTrusts.certificates().isEmpty()
                && spec.workloads().stream().allMatch(w -> aks(w).isPresent());
        linkUp |= up;
        if (!linkUp) {
            return;
        }
        List<X509Certificate> workloadsTrust = workloadsBundle();
        // Every certificate served on either side chains to a CA in its verifier's bundle.
        List<X509Certificate> served = Pem.readCertificates(tls.orElseThrow().get("tls.crt"));
        for (LinkSpec.Workload w : spec.workloads()) {
            Map<String, String> secret = aks(w).orElseThrow();
            validate("the gateway's certificate for " + w.namespace(), served, bundle(secret), now);
            validate(w.namespace() + "'s certificate at the gateway", Pem.readCertificates(secret.get("tls.crt")), gatewayTrusts, now);
        }
        // Bundles never lack the CA of a live leaf: every version issued and not expired.
        List<X509Certificate> serverLeaves = link.serverCertificates.versions.values().stream().map(Credential::leaf).toList();
        List<X509Certificate> clientLeaves = link.clientCertificates.versions.values().stream().flatMap(List::stream).map(Credential::leaf).toList();
        for (X509Certificate leaf : serverLeaves) {
            if (Certificates.isValidAt(leaf, now) && Certificates.issuerIn(leaf, workloadsTrust).isEmpty()) {
                violations.add(at() + " a live server certificate's CA is missing from a workload's bundle");
            }
        }
        for (X509Certificate leaf : clientLeaves) {
            if (Certificates.isValidAt(leaf, now) && Certificates.issuerIn(leaf, gatewayTrusts.certificates()).isEmpty()) {
                violations.add(at() + " a live client certificate's CA is missing from the gateway's bundle");
            }
        }
        // At most two generations of each kind trusted at once, in every list and bundle.
        List<List<X509Certificate>> lists = new ArrayList<>(List.of(link.serverCa.certificates(), link.clientCa.certificates(),
                link.clientCasInAws, link.serverCasInKeyVault, gatewayTrusts.certificates()));
        spec.workloads().forEach(w -> lists.add(bundle(aks(w).orElseThrow()).certificates()));
        if (lists.stream().anyMatch(l -> l.size() > 2)) {
            violations.add(at() + " more than two CA generations trusted at once");
        }
        // Every retired key's CA has no live leaf.
        checkRetired(link.serverCa.retired, serverLeaves, now, "server");
        checkRetired(link.clientCa.retired, clientLeaves, now, "client");
        // No leaf is issued shorter than its spec lifetime.
        checkLifetimes(serverLeaves, spec.certificates().server().lifetime());
        checkLifetimes(clientLeaves, spec.certificates().client().lifetime());
    }

    private void validate(String what, List<X509Certificate> chain, TrustBundle bundle, Instant now) {
        try {
            ChainValidator.validate(chain, bundle, now);
        } catch (PkiException e) {
            violations.add(at() + " " + what + " does not chain to its verifier's bundle: " + e.getMessage());
        }
    }

    private void checkRetired(List<X509Certificate> retired, List<X509Certificate> leaves, Instant now, String side) {
        for (X509Certificate ca : retired) {
            if (leaves.stream().anyMatch(leaf -> Certificates.isValidAt(leaf, now) && Certificates.issuedBy(leaf, ca))) {
                violations.add(at() + " a retired " + side + " CA still has a live leaf");
            }
        }
    }

    private void checkLifetimes(List<X509Certificate> leaves, Duration lifetime) {
        for (X509Certificate leaf : leaves) {
            if (checkedLeaves.add(Certificates.fingerprint(leaf))) {
                Duration validity = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
                if (!validity.equals(lifetime.plus(CertificateAuthority.CLOCK_SKEW))) {
                    violations.add(at() + " a leaf was issued for " + validity + " instead of " + lifetime);
                }
            }
        }
    }

    @Override
    public void close() throws java.io.IOException {
        if (gateway != null) {
            gateway.close();
        }
    }
}
