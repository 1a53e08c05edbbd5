package dev.relaylink.plan;

import static dev.relaylink.testing.TestSpecs.CONSUMER_ACCOUNT;
import static dev.relaylink.testing.TestSpecs.STRANGER_ACCOUNT;
import static dev.relaylink.testing.TestSpecs.STRANGER_SUBSCRIPTION;
import static dev.relaylink.testing.TestSpecs.SUBSCRIPTION;
import static dev.relaylink.testing.TestSpecs.VNET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.testing.InMemoryIdempotencyStore;
import dev.relaylink.testing.InMemoryLinkLock;
import dev.relaylink.wiring.PortObserver;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.wiring.Side;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Credential;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.ListenerState;
import dev.relaylink.state.ObservedState;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.state.Target;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The planner's promises, on random links: one pass converges, planning is deterministic, the
 * allow-lists are never violated, and certificates are replaced only when they must be.
 */
class PlannerProperties {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String OTHER_ACCOUNT = "222233334444";
    private static final List<LinkSpec.Workload> EXTRA_WORKLOADS = List.of(
            new LinkSpec.Workload("billing", "invoicer", "relay-mtls"), new LinkSpec.Workload("search", "indexer", "relay-mtls"));
    private static final KeyPair LEAF_KEY = Keys.generateP256();

    /** How a certificate of the random link looks. */
    enum CertShape { MISSING, FRESH, JUST_BEFORE_DUE, JUST_DUE, DUE, EXPIRED, FOREIGN_CA, WRONG_NAME }

    /**
     * What the trust exchange's copies (the AWS client CA secret, the Key Vault server CA mirror) hold;
     * PREVIOUS: they and the secrets were current until AWS added a new server CA.
     */
    enum Copies { EMPTY, CURRENT, FOREIGN, PREVIOUS }

    record Scenario(boolean serviceExists, boolean acceptanceOff, boolean widened, List<String[]> connections,
                    List<Integer> listenerPorts, Set<Integer> registeredLastOctets, Set<Integer> readyLastOctets, boolean extraRule,
                    CertShape server, CertShape checkout, CertShape tracker, List<String[]> privateEndpoints, boolean secretsStale,
                    boolean casExist, Copies copies, LinkSpec spec) {
    }

    /** Random specs: who may connect, from where, which workloads, and how long certificates live. */
    private static Arbitrary<LinkSpec> specs() {
        LinkSpec example = TestSpecs.example();
        Arbitrary<Set<String>> principals = Arbitraries.of("arn:aws:iam::" + CONSUMER_ACCOUNT + ":root",
                "arn:aws:iam::" + CONSUMER_ACCOUNT + ":role/transit", "arn:aws:iam::" + OTHER_ACCOUNT + ":root").set().ofMinSize(1);
        Arbitrary<Set<String>> cidrs = Arbitraries.of("10.20.0.0/24", "10.21.0.0/24").set().ofMinSize(1);
        Arbitrary<List<LinkSpec.Workload>> extra = Arbitraries.integers().between(0, EXTRA_WORKLOADS.size()).map(n -> EXTRA_WORKLOADS.subList(0, n));
        Arbitrary<RenewalPolicy> server = Arbitraries.of(RenewalPolicy.before(Duration.ofDays(30), Duration.ofDays(10)),
                RenewalPolicy.percent(Duration.ofDays(30), 20), RenewalPolicy.before(Duration.ofDays(90), Duration.ofDays(30)));
        Arbitrary<RenewalPolicy> client = Arbitraries.of(RenewalPolicy.percent(Duration.ofDays(7), 33),
                RenewalPolicy.before(Duration.ofDays(2), Duration.ofHours(12)), RenewalPolicy.percent(Duration.ofDays(1), 50));
        return Combinators.combine(principals, cidrs, extra, server, client).as((allowed, from, more, serverPolicy, clientPolicy) -> {
            List<LinkSpec.Workload> workloads = new java.util.ArrayList<>(example.workloads());
            workloads.addAll(more);
            LinkSpec.Aws aws = example.aws();
            return new LinkSpec(example.name(), example.relay(),
                    new LinkSpec.Aws(aws.region(), aws.accountId(), new LinkSpec.EndpointService(aws.endpointService().name(), allowed),
                            new LinkSpec.Nlb(aws.nlb().loadBalancerArn(), aws.nlb().targetGroupArn(), aws.nlb().securityGroupId(), from, aws.nlb().targets()),
                            aws.serverCertSecretId(), aws.serverCaKeyId(), aws.eksCluster()),
                    example.azure(), workloads, new LinkSpec.CertificatePolicy(serverPolicy, clientPolicy, example.certificates().caLifetime(),
                            example.certificates().ca()),
                    example.trustDomain());
        });
    }

    private static Set<String> allowedAccounts(LinkSpec spec) {
        return spec.aws().endpointService().allowedPrincipals().stream().map(Planner::accountOf).collect(java.util.stream.Collectors.toSet());
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<String[]> connection = Combinators.combine(
                Arbitraries.of(CONSUMER_ACCOUNT, STRANGER_ACCOUNT, OTHER_ACCOUNT),
                Arbitraries.of(EndpointConnection.PENDING_ACCEPTANCE, EndpointConnection.AVAILABLE, EndpointConnection.REJECTED))
                .as((owner, state) -> new String[] {owner, state});
        Arbitrary<String[]> privateEndpoint = Combinators.combine(
                Arbitraries.of(SUBSCRIPTION, STRANGER_SUBSCRIPTION), Arbitraries.of(VNET, VNET.replace("aks-vnet", "other-vnet")),
                Arbitraries.of(PrivateEndpointConnection.PENDING, PrivateEndpointConnection.APPROVED, PrivateEndpointConnection.REJECTED))
                .as((sub, vnet, status) -> new String[] {sub, vnet, status});
        Arbitrary<CertShape> shape = Arbitraries.of(CertShape.class);
        return Combinators.combine(
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        connection.list().ofMaxSize(120)).as((a, b, c, d) -> new Object[] {a, b, c, d}),
                Combinators.combine(Arbitraries.of(443, 8443, 80).list().ofMaxSize(3), Arbitraries.integers().between(1, 6).set().ofMaxSize(5),
                        Arbitraries.integers().between(1, 6).set().ofMaxSize(5), Arbitraries.of(true, false)).as((a, b, c, d) -> new Object[] {a, b, c, d}),
                Combinators.combine(shape, shape, shape, privateEndpoint.list().ofMaxSize(6), Arbitraries.of(true, false),
                                Arbitraries.of(true, true, true, false), Arbitraries.of(Copies.class))
                        .as((a, b, c, d, e, f, g) -> new Object[] {a, b, c, d, e, f, g}),
                specs())
                .as((aws, nlb, rest, spec) -> new Scenario((Boolean) aws[0], (Boolean) aws[1], (Boolean) aws[2], cast(aws[3]),
                        cast(nlb[0]), cast(nlb[1]), cast(nlb[2]), (Boolean) nlb[3],
                        (CertShape) rest[0], (CertShape) rest[1], (CertShape) rest[2], cast(rest[3]), (Boolean) rest[4], (Boolean) rest[5],
                        (Copies) rest[6], spec));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    @Property(tries = 60)
    void applyingThePlanConvergesInOnePass(@ForAll("scenarios") Scenario scenario) {
        InMemoryClouds link = arrange(scenario);
        Reconciler reconciler = reconciler(link, scenario.spec());
        reconciler.handle("event-1", Concern.ALL);

        Plan after = Planner.plan(scenario.spec(), new PortObserver(scenario.spec(), link.ports()).observe(Concern.ALL), NOW, Concern.ALL);
        // A next CA found in every consumer's bundle in this pass issues in the next one: the switch waits for
        // the confirmation the pass wrote, never for what it assumes. Then nothing is left.
        assertThat(after.actions()).as("plan after one pass").allMatch(a -> a.code() == Reason.NEXT_CA_CONFIRMED
                || a.code() == Reason.ISSUER_SUPERSEDED);
        if (!after.isEmpty()) {
            reconciler.handle("event-2", Concern.ALL);
            after = Planner.plan(scenario.spec(), new PortObserver(scenario.spec(), link.ports()).observe(Concern.ALL), NOW, Concern.ALL);
            assertThat(after.actions()).as("plan after the switch").isEmpty();
        }
        // and what the pass produced is what the spec wants
        assertThat(link.service.acceptanceRequired()).isTrue();
        assertThat(link.service.allowedPrincipals()).isEqualTo(scenario.spec().aws().endpointService().allowedPrincipals());
        assertThat(link.connections.values()).noneMatch(c -> c.owner().equals(STRANGER_ACCOUNT) && !c.state().equals(EndpointConnection.REJECTED));
        assertThat(link.listeners.values()).singleElement().satisfies(l -> assertThat(l.port()).isEqualTo(443));
        assertThat(link.clientCasInAws).as("client CAs published to AWS").isEqualTo(link.clientCa.certificates());
    }

    /**
     * The two deployments, each with only its own ports and concerns, meet only through the trust
     * exchange's copies: AWS, then Azure, then AWS and Azure again (a next server CA the workloads
     * were found to trust starts issuing in the second AWS run, which the second Azure run mirrors)
     * leave nothing to do on either side, the EKS
     * gateway trusts exactly the client CAs and every workload's secret carries exactly the server CAs.
     */
    @Property(tries = 250)
    void theTwoSidesConvergeThroughTheTrustExchange(@ForAll("scenarios") Scenario scenario) {
        InMemoryClouds link = arrange(scenario);
        reconciler(link, link.awsPorts(), scenario.spec()).handle("aws-1", Concern.AWS);
        reconciler(link, link.azurePorts(), scenario.spec()).handle("azure-1", Concern.AZURE);
        reconciler(link, link.awsPorts(), scenario.spec()).handle("aws-2", Concern.AWS);
        reconciler(link, link.azurePorts(), scenario.spec()).handle("azure-2", Concern.AZURE);

        assertThat(Planner.plan(scenario.spec(), new PortObserver(scenario.spec(), link.awsPorts()).observe(Concern.AWS), NOW, Concern.AWS).actions())
                .as("AWS plan after the exchange").isEmpty();
        assertThat(Planner.plan(scenario.spec(), new PortObserver(scenario.spec(), link.azurePorts()).observe(Concern.AZURE), NOW, Concern.AZURE).actions())
                .as("Azure plan after the exchange").isEmpty();
        assertThat(link.clientCasInAws).isEqualTo(link.clientCa.certificates());
        assertThat(link.serverCasInKeyVault).isEqualTo(link.serverCa.certificates());
        String relay = scenario.spec().relay().namespace() + "/" + scenario.spec().relay().clientCaSecret();
        assertThat(link.eks.data.get(relay).get("ca.crt")).isEqualTo(TrustBundle.of(link.clientCa.certificates()).pem());
        for (LinkSpec.Workload workload : scenario.spec().workloads()) {
            assertThat(link.aks.data.get(workload.namespace() + "/" + workload.secretName()).get("ca.crt"))
                    .as(workload + " trusts the server CAs").isEqualTo(TrustBundle.of(link.serverCa.certificates()).pem());
        }
    }

    /** On the Azure side, a CA bundle crosses before any client certificate that needs it is issued or written. */
    @Property(tries = 100)
    void bundlesCrossBeforeTheCertificatesThatNeedThem(@ForAll("scenarios") Scenario scenario) {
        InMemoryClouds link = arrange(scenario);
        Plan plan = Planner.plan(scenario.spec(), new PortObserver(scenario.spec(), link.azurePorts()).observe(Concern.AZURE), NOW, Concern.AZURE);
        int publish = indexOf(plan, Action.PublishClientCas.class);
        int mirror = indexOf(plan, Action.MirrorServerCas.class);
        int firstRotation = indexOf(plan, Action.RotateClientCertificate.class);
        int firstSecret = indexOf(plan, Action.WriteWorkloadSecret.class);
        if (indexOf(plan, Action.CreateCa.class) >= 0) {
            assertThat(publish).as("a new client CA is published").isGreaterThan(indexOf(plan, Action.CreateCa.class));
        }
        for (int leaf : new int[] {firstRotation, firstSecret}) {
            if (leaf >= 0 && publish >= 0) {
                assertThat(publish).isLessThan(leaf);
            }
            if (leaf >= 0 && mirror >= 0) {
                assertThat(mirror).isLessThan(leaf);
            }
        }
        // nothing crosses that is already there, and an empty list never crosses
        assertThat(mirror >= 0).isEqualTo(!link.serverCa.certificates().isEmpty()
                && !link.serverCa.certificates().equals(link.serverCasInKeyVault));
        assertThat(publish >= 0).isEqualTo(link.clientCa.certificates().isEmpty()
                || !link.clientCa.certificates().equals(link.clientCasInAws));
    }

    @Property(tries = 60)
    void planningIsDeterministic(@ForAll("scenarios") Scenario scenario) {
        ObservedState observed = new PortObserver(scenario.spec(), arrange(scenario).ports()).observe(Concern.ALL);
        assertThat(Planner.plan(scenario.spec(), observed, NOW, Concern.ALL)).isEqualTo(Planner.plan(scenario.spec(), observed, NOW, Concern.ALL));
    }

    @Property(tries = 100)
    void allowedRequestersAreNeverRejectedAndStrangersNeverAccepted(@ForAll("scenarios") Scenario scenario) {
        InMemoryClouds link = arrange(scenario);
        ObservedState observed = new PortObserver(scenario.spec(), link.ports()).observe(Concern.ALL);
        Plan plan = Planner.plan(scenario.spec(), observed, NOW, Concern.ALL);
        for (Action action : plan.actions()) {
            if (action instanceof Action.AcceptConnections accept) {
                assertThat(accept.vpcEndpointIds()).allMatch(id -> allowedAccounts(scenario.spec()).contains(link.connections.get(id).owner()));
                assertThat(accept.vpcEndpointIds()).hasSizeLessThanOrEqualTo(Planner.CONNECTION_BATCH);
            }
            if (action instanceof Action.RejectConnections reject) {
                assertThat(reject.vpcEndpointIds()).noneMatch(id -> allowedAccounts(scenario.spec()).contains(link.connections.get(id).owner()));
            }
            if (action instanceof Action.ApprovePrivateEndpoint approve) {
                assertThat(Planner.isAllowedRequester(scenario.spec(), link.privateEndpoints.get(approve.connectionName()))).isTrue();
            }
            if (action instanceof Action.RejectPrivateEndpoint reject) {
                assertThat(Planner.isAllowedRequester(scenario.spec(), link.privateEndpoints.get(reject.connectionName()))).isFalse();
            }
        }
        // accepting happens only after the service is locked down in the same plan
        int firstAccept = indexOf(plan, Action.AcceptConnections.class);
        if (firstAccept >= 0) {
            assertThat(indexOf(plan, Action.RequireAcceptance.class)).isLessThan(firstAccept);
            assertThat(indexOf(plan, Action.SetAllowedPrincipals.class)).isLessThan(firstAccept);
        }
    }

    @Property(tries = 100)
    void aCertificateIsReplacedOnlyWhenMissingDueInvalidOrUntrusted(@ForAll("scenarios") Scenario scenario) {
        ObservedState observed = new PortObserver(scenario.spec(), arrange(scenario).ports()).observe(Concern.ALL);
        Plan plan = Planner.plan(scenario.spec(), observed, NOW, Concern.ALL);
        boolean serverRotated = plan.actions().stream().anyMatch(a -> a instanceof Action.RotateServerCertificate);
        Set<CertShape> keep = Set.of(CertShape.FRESH, CertShape.JUST_BEFORE_DUE);
        assertThat(serverRotated).isEqualTo(!keep.contains(scenario.server()) || !scenario.casExist());
        Set<SpiffeId> rotated = new java.util.HashSet<>();
        plan.actions().stream().filter(a -> a instanceof Action.RotateClientCertificate)
                .forEach(a -> rotated.add(((Action.RotateClientCertificate) a).workload()));
        assertThat(rotated.contains(TestPki.workload("payments", "checkout"))).isEqualTo(!keep.contains(scenario.checkout()) || !scenario.casExist());
        assertThat(rotated.contains(TestPki.workload("shipping", "tracker"))).isEqualTo(!keep.contains(scenario.tracker()) || !scenario.casExist());
        for (LinkSpec.Workload extra : scenario.spec().workloads().subList(2, scenario.spec().workloads().size())) {
            assertThat(rotated).as("a workload without a certificate gets one").contains(extra.spiffeId(scenario.spec().trustDomain()));
        }
    }

    private static int indexOf(Plan plan, Class<? extends Action> type) {
        for (int i = 0; i < plan.actions().size(); i++) {
            if (type.isInstance(plan.actions().get(i))) {
                return i;
            }
        }
        return -1;
    }

    // --- arranging a random link in memory ---

    private static InMemoryClouds arrange(Scenario s) {
        InMemoryClouds link = new InMemoryClouds();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        link.spec = s.spec();
        link.clock = clock;
        link.probeAttempts = 1;
        if (s.serviceExists()) {
            Set<String> principals = new java.util.HashSet<>(s.spec().aws().endpointService().allowedPrincipals());
            if (s.widened()) {
                principals.add("arn:aws:iam::" + STRANGER_ACCOUNT + ":root");
            }
            link.service = new EndpointServiceState("vpce-svc-0", "svc", !s.acceptanceOff(), principals, Set.of(TestSpecs.LB_ARN));
            for (int i = 0; i < s.connections().size(); i++) {
                String[] c = s.connections().get(i);
                link.connections.put("vpce-" + i, new EndpointConnection("vpce-" + i, c[0], c[1]));
            }
        }
        for (int i = 0; i < s.listenerPorts().size(); i++) {
            link.listeners.put("listener-" + i, new ListenerState("listener-" + i, s.listenerPorts().get(i), "TCP", TestSpecs.TG_ARN));
        }
        s.registeredLastOctets().forEach(o -> link.targets.add(new Target("10.0.1." + o, 8443)));
        s.readyLastOctets().forEach(o -> link.gatewayEndpoints.add(new Target("10.0.1." + o, 8443)));
        link.rules.add(new IngressRule("tcp", 443, "10.20.0.0/24"));
        link.nlbSecurityGroups.add(s.spec().aws().nlb().securityGroupId());
        if (s.extraRule()) {
            link.rules.add(new IngressRule("tcp", 443, "0.0.0.0/0"));
            link.nlbSecurityGroups.add("sg-0stranger000000000");
        }
        CertificateAuthority foreign = CertificateAuthority.selfSigned(InMemorySigner.generate(), "foreign", NOW.minus(Duration.ofDays(100)), Duration.ofDays(365));
        if (s.casExist()) {
            link.serverCa.create("server CA", NOW.minus(Duration.ofDays(100)), Duration.ofDays(365));
            link.clientCa.create("client CA", NOW.minus(Duration.ofDays(100)), Duration.ofDays(365));
        }
        // without CAs of its own, the link can only hold leaves from a CA it does not trust
        CertificateAuthority serverIssuer = link.serverCa.current().orElse(foreign);
        CertificateAuthority clientIssuer = link.clientCa.current().orElse(foreign);

        Credential server = leaf(s.server(), serverIssuer, foreign, s.spec().certificates().server(), true, null);
        if (server != null) {
            link.serverCertificates.versions.put("t0", server);
            link.serverCertificates.currentToken = "t0";
        }
        for (LinkSpec.Workload workload : s.spec().workloads()) {
            SpiffeId id = workload.spiffeId(s.spec().trustDomain());
            CertShape shape = id.equals(TestPki.workload("payments", "checkout")) ? s.checkout()
                    : id.equals(TestPki.workload("shipping", "tracker")) ? s.tracker() : CertShape.MISSING;
            Credential client = leaf(shape, clientIssuer, foreign, s.spec().certificates().client(), false, id);
            if (client != null) {
                link.clientCertificates.versions.put(id, new java.util.ArrayList<>(List.of(client)));
            }
        }
        for (int i = 0; i < s.privateEndpoints().size(); i++) {
            String[] p = s.privateEndpoints().get(i);
            link.privateEndpoints.put("pec-" + i, new PrivateEndpointConnection("pec-" + i, "/pe/" + i, p[0], p[1], p[2], "10.1.0." + (10 + i)));
        }
        switch (s.copies()) {
            case EMPTY -> { }
            case CURRENT, PREVIOUS -> {
                link.clientCasInAws.addAll(link.clientCa.certificates());
                link.serverCasInKeyVault.addAll(link.serverCa.certificates());
            }
            case FOREIGN -> {
                link.clientCasInAws.add(foreign.certificate());
                link.serverCasInKeyVault.add(foreign.certificate());
            }
        }
        if (!s.secretsStale() && s.casExist()) {
            // a link whose secrets were written once: the reconcile must keep them, or rewrite what rotated
            Reconciler warmup = reconciler(link, s.spec());
            warmup.handle("warmup", java.util.EnumSet.of(Concern.EKS_SECRETS, Concern.AKS_SECRETS));
        }
        if (s.copies() == Copies.PREVIOUS && s.casExist()) {
            // AWS starts trusting a new server CA (ahead of issuing from it): the copies and secrets must follow
            link.serverCa.create("server CA 2", NOW.minus(Duration.ofDays(1)), Duration.ofDays(365));
        }
        link.calls.clear();
        return link;
    }

    private static Credential leaf(CertShape shape, CertificateAuthority ca, CertificateAuthority foreign, RenewalPolicy policy, boolean server, SpiffeId id) {
        Duration lifetime = policy.lifetime();
        // the renewal window of a certificate issued with this policy (its validity includes the skew backdating)
        Duration window = policy.renewBefore() != null ? policy.renewBefore()
                : lifetime.plus(CertificateAuthority.CLOCK_SKEW).multipliedBy(policy.renewBeforePercent()).dividedBy(100);
        Instant issued = switch (shape) {
            case MISSING -> null;
            case FRESH, FOREIGN_CA, WRONG_NAME -> NOW.minus(Duration.ofHours(1));
            case JUST_BEFORE_DUE -> NOW.plus(Duration.ofMinutes(1)).minus(lifetime).plus(window);
            case JUST_DUE -> NOW.minus(Duration.ofMinutes(1)).minus(lifetime).plus(window);
            case DUE -> NOW.minus(lifetime.multipliedBy(9).dividedBy(10));
            case EXPIRED -> NOW.minus(lifetime.multipliedBy(2));
        };
        if (issued == null) {
            return null;
        }
        CertificateAuthority issuer = shape == CertShape.FOREIGN_CA ? foreign : ca;
        var cert = server
                ? issuer.issueServer(LEAF_KEY.getPublic(), shape == CertShape.WRONG_NAME ? "wrong.example" : TestPki.RELAY_HOST, issued, lifetime)
                : issuer.issueClient(LEAF_KEY.getPublic(), shape == CertShape.WRONG_NAME ? TestPki.workload("other", "sa") : id, issued, lifetime);
        return new Credential(LEAF_KEY.getPrivate(), List.of(cert));
    }

    static Reconciler reconciler(InMemoryClouds link, LinkSpec spec) {
        return reconciler(link, link.ports(), spec);
    }

    /** A reconciler on {@code ports}: both halves, or one deployment's. */
    static Reconciler reconciler(InMemoryClouds link, Side side, LinkSpec spec) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        AuditLog audit = r -> { };
        return Reconciler.of(spec, side, new InMemoryIdempotencyStore(clock, Duration.ofMinutes(5)), new InMemoryLinkLock(clock), audit, clock, 1, Duration.ZERO);
    }
}
