package dev.relaylink.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.BundleAcknowledgements;
import dev.relaylink.state.CertificateState;
import dev.relaylink.state.ClusterPolicies;
import dev.relaylink.state.ClusterSecretsState;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.state.GatewayClientPolicy;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.ListenerState;
import dev.relaylink.state.LoadBalancerState;
import dev.relaylink.state.ObservedState;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.state.AzureNetworkState;
import dev.relaylink.state.PrivateLinkState;
import dev.relaylink.state.RevocationState;
import dev.relaylink.state.SecretState;
import dev.relaylink.state.TrustExchangeState;
import dev.relaylink.state.WorkloadEgressPolicy;
import dev.relaylink.testing.TestPki;
import dev.relaylink.testing.TestSpecs;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's decisions as a table a reader can follow: each row starts from a link that already
 * matches the spec for the concerns it names ({@code healthy}), changes one thing, and lists the
 * actions the plan must hold, in order, each with its reason code. A row with no action says the
 * planner leaves that state alone. {@link PlannerProperties} checks the general laws; these rows
 * pin down what each law means on one example.
 */
class PlannerExamplesTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final LinkSpec SPEC = TestSpecs.example();
    private static final TestPki PKI = new TestPki(NOW);
    private static final String HOST = TestPki.RELAY_HOST;
    private static final SpiffeId CHECKOUT = TestPki.workload("payments", "checkout");
    private static final SpiffeId TRACKER = TestPki.workload("shipping", "tracker");
    private static final String RELAY_IP = "10.1.0.4";
    /** The client CA's revocation list as published today (signed once: each signature differs). */
    private static final String CRL = crl(List.of(), NOW);

    // Certificates that are fine: fresh, from the side's issuing CA, for the right name.
    private static final List<X509Certificate> SERVER_CERT = PKI.server(HOST, NOW.minus(Duration.ofHours(1)), Duration.ofDays(30)).chain();
    private static final List<X509Certificate> CHECKOUT_CERT = PKI.client(CHECKOUT, NOW.minus(Duration.ofHours(1)), Duration.ofDays(7)).chain();
    private static final List<X509Certificate> TRACKER_CERT = PKI.client(TRACKER, NOW.minus(Duration.ofHours(1)), Duration.ofDays(7)).chain();

    // CA generations: one due for renewal (created 300 of its 365 days ago, renewBefore 90 days), its successor, and an expired one.
    private static final CertificateAuthority DUE_SERVER_CA = ca("relay-link server CA", NOW.minus(Duration.ofDays(300)));
    private static final CertificateAuthority NEXT_SERVER_CA = ca("relay-link server CA", NOW.minus(Duration.ofDays(1)));
    private static final CertificateAuthority EXPIRED_SERVER_CA = ca("relay-link server CA", NOW.minus(Duration.ofDays(400)));
    private static final CertificateAuthority FOREIGN_CA = ca("someone else's CA", NOW.minus(Duration.ofDays(1)));

    private static final EndpointServiceState LOCKED_DOWN = new EndpointServiceState("vpce-svc-0a1b2c3d4e5f60718",
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0a1b2c3d4e5f60718", true, SPEC.aws().endpointService().allowedPrincipals(),
            Set.of(TestSpecs.LB_ARN));
    private static final ListenerState LISTENER = new ListenerState("arn:aws:elasticloadbalancing:listener/relay/1", 443, "TCP", TestSpecs.TG_ARN);
    private static final IngressRule TRANSIT = new IngressRule("tcp", 443, "10.20.0.0/24");
    private static final String SECURITY_GROUP = "sg-0123456789abcdef0";

    /** One row: what the link looks like (the healthy state of {@code concerns}, changed by {@code change}), and what the plan is. */
    record Example(String name, Set<Concern> concerns, UnaryOperator<ObservedState> change, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Example> examples() {
        return Stream.of(
                // --- endpoint service ---
                example("no endpoint service: create it locked down", EnumSet.of(Concern.ENDPOINT_SERVICE),
                        o -> o.withPrivateLink(PrivateLinkState.none()),
                        "CreateEndpointService ENDPOINT_SERVICE_MISSING"),
                example("acceptance turned off: require it again", EnumSet.of(Concern.ENDPOINT_SERVICE),
                        o -> o.withPrivateLink(PrivateLinkState.of(service(false, LOCKED_DOWN.allowedPrincipals(), Set.of(TestSpecs.LB_ARN)))),
                        "RequireAcceptance ACCEPTANCE_NOT_REQUIRED"),
                example("a stranger's account allowed: narrow the principals", EnumSet.of(Concern.ENDPOINT_SERVICE),
                        o -> o.withPrivateLink(PrivateLinkState.of(service(true, Set.of("arn:aws:iam::" + TestSpecs.CONSUMER_ACCOUNT + ":root",
                                "arn:aws:iam::" + TestSpecs.STRANGER_ACCOUNT + ":root"), Set.of(TestSpecs.LB_ARN)))),
                        "SetAllowedPrincipals PRINCIPALS_WIDENED"),
                example("the consumer's account removed: allow it again", EnumSet.of(Concern.ENDPOINT_SERVICE),
                        o -> o.withPrivateLink(PrivateLinkState.of(service(true, Set.of(), Set.of(TestSpecs.LB_ARN)))),
                        "SetAllowedPrincipals PRINCIPALS_MISSING"),
                example("a second load balancer behind the service: front the link's NLB only", EnumSet.of(Concern.ENDPOINT_SERVICE),
                        o -> o.withPrivateLink(PrivateLinkState.of(service(true, LOCKED_DOWN.allowedPrincipals(),
                                Set.of(TestSpecs.LB_ARN, TestSpecs.LB_ARN.replace("relay-nlb", "other-nlb"))))),
                        "SetEndpointServiceLoadBalancer ENDPOINT_SERVICE_LOAD_BALANCER_DRIFT"),

                // --- endpoint connections ---
                example("the consumer asks to connect: accept", EnumSet.of(Concern.ENDPOINT_SERVICE, Concern.ENDPOINT_CONNECTIONS),
                        o -> o.withPrivateLink(PrivateLinkState.of(LOCKED_DOWN, connection("vpce-0c0000000000000a1", TestSpecs.CONSUMER_ACCOUNT,
                                EndpointConnection.PENDING_ACCEPTANCE))),
                        "AcceptConnections CONNECTION_ALLOWED"),
                example("a stranger's endpoint, pending or already available: reject both in one batch",
                        EnumSet.of(Concern.ENDPOINT_SERVICE, Concern.ENDPOINT_CONNECTIONS),
                        o -> o.withPrivateLink(PrivateLinkState.of(LOCKED_DOWN,
                                connection("vpce-0f0000000000000b1", TestSpecs.STRANGER_ACCOUNT, EndpointConnection.PENDING_ACCEPTANCE),
                                connection("vpce-0f0000000000000b2", TestSpecs.STRANGER_ACCOUNT, EndpointConnection.AVAILABLE))),
                        "RejectConnections CONNECTION_STRANGER"),
                example("the consumer asks while acceptance is off and this handler cannot fix it: accept nothing yet",
                        EnumSet.of(Concern.ENDPOINT_CONNECTIONS),
                        o -> o.withPrivateLink(PrivateLinkState.of(service(false, LOCKED_DOWN.allowedPrincipals(), Set.of(TestSpecs.LB_ARN)),
                                connection("vpce-0c0000000000000a1", TestSpecs.CONSUMER_ACCOUNT, EndpointConnection.PENDING_ACCEPTANCE)))),

                // --- NLB (controller target mode; TargetModesTest has the target rows) ---
                example("the listener was deleted: create it", EnumSet.of(Concern.LOAD_BALANCER),
                        o -> o.withLoadBalancer(o.loadBalancer().withListeners()),
                        "CreateListener LISTENER_MISSING"),
                example("a second listener on port 80: delete it", EnumSet.of(Concern.LOAD_BALANCER),
                        o -> o.withLoadBalancer(o.loadBalancer().withListeners(LISTENER,
                                new ListenerState("arn:aws:elasticloadbalancing:listener/relay/2", 80, "TCP", TestSpecs.TG_ARN))),
                        "DeleteListener LISTENER_DRIFT"),
                example("ingress opened to the internet: revoke it", EnumSet.of(Concern.LOAD_BALANCER),
                        o -> o.withLoadBalancer(o.loadBalancer().withSecurityGroup(Set.of(SECURITY_GROUP),
                                Set.of(TRANSIT, new IngressRule("tcp", 443, "0.0.0.0/0")))),
                        "RevokeIngress INGRESS_WIDENED"),
                example("another security group attached: set the link's", EnumSet.of(Concern.LOAD_BALANCER),
                        o -> o.withLoadBalancer(o.loadBalancer().withSecurityGroup(Set.of(SECURITY_GROUP, "sg-0ffffffffffffffff"), Set.of(TRANSIT))),
                        "SetLoadBalancerSecurityGroups SECURITY_GROUPS_DRIFT"),
                example("the TargetGroupBinding was deleted: write it", EnumSet.of(Concern.LOAD_BALANCER),
                        o -> o.withLoadBalancer(o.loadBalancer().withTargetGroupBinding(Optional.empty())),
                        "WriteTargetGroupBinding TARGET_GROUP_BINDING_MISSING"),

                // --- server certificate: each replacement rule ---
                example("server: healthy certificate stays", EnumSet.of(Concern.SERVER_CERTIFICATE), o -> o),
                example("server: none yet", EnumSet.of(Concern.SERVER_CERTIFICATE),
                        o -> o.withCertificates(new CertificateState(List.of(PKI.serverCa.certificate()), List.of(), Optional.empty(),
                                Optional.empty(), Map.of())),
                        "RotateServerCertificate CERTIFICATE_MISSING"),
                example("server: a stored chain without certificates", EnumSet.of(Concern.SERVER_CERTIFICATE),
                        o -> o.withCertificates(o.certificates().withServerCertificate(List.of())),
                        "RotateServerCertificate CERTIFICATE_MISSING"),
                example("server: the server CA is gone: a new CA first, then a certificate from it", EnumSet.of(Concern.SERVER_CERTIFICATE),
                        o -> o.withCertificates(o.certificates().withCas(List.of(), List.of())),
                        "CreateCa CA_MISSING", "RotateServerCertificate UNTRUSTED"),
                example("server: signed by a foreign CA", EnumSet.of(Concern.SERVER_CERTIFICATE),
                        o -> o.withCertificates(o.certificates().withServerCertificate(
                                TestPki.issueServer(FOREIGN_CA, HOST, NOW.minus(Duration.ofHours(1)), Duration.ofDays(30)).chain())),
                        "RotateServerCertificate CHAIN_INVALID"),
                example("server: expired", EnumSet.of(Concern.SERVER_CERTIFICATE),
                        o -> o.withCertificates(o.certificates().withServerCertificate(
                                PKI.server(HOST, NOW.minus(Duration.ofDays(31)), Duration.ofDays(30)).chain())),
                        "RotateServerCertificate CHAIN_INVALID"),
                example("server: issued for another host", EnumSet.of(Concern.SERVER_CERTIFICATE),
                        o -> o.withCertificates(o.certificates().withServerCertificate(
                                PKI.server("shop.example.com", NOW.minus(Duration.ofHours(1)), Duration.ofDays(30)).chain())),
                        "RotateServerCertificate WRONG_NAME"),
                example("server: 21 of 30 days gone, renewBefore 10 days", EnumSet.of(Concern.SERVER_CERTIFICATE),
                        o -> o.withCertificates(o.certificates().withServerCertificate(
                                PKI.server(HOST, NOW.minus(Duration.ofDays(21)), Duration.ofDays(30)).chain())),
                        "RotateServerCertificate CERTIFICATE_DUE"),
                example("server: a rotation started an hour ago: no second one", EnumSet.of(Concern.SERVER_CERTIFICATE),
                        o -> o.withCertificates(o.certificates().withServerCertificate(List.of())
                                .withPendingServerRotation(new dev.relaylink.state.PendingServerCertificate("ab".repeat(32), NOW.minus(Duration.ofHours(1)))))),

                // --- client certificates: the same rules, per workload ---
                example("client: healthy certificates stay", EnumSet.of(Concern.CLIENT_CERTIFICATES), o -> o),
                example("client: a workload without a certificate", EnumSet.of(Concern.CLIENT_CERTIFICATES),
                        o -> o.withCertificates(o.certificates().withClientCertificates(Map.of(CHECKOUT, CHECKOUT_CERT))),
                        "RotateClientCertificate CERTIFICATE_MISSING"),
                example("client: tracker holds checkout's certificate", EnumSet.of(Concern.CLIENT_CERTIFICATES),
                        o -> o.withCertificates(o.certificates().withClientCertificates(Map.of(CHECKOUT, CHECKOUT_CERT, TRACKER, CHECKOUT_CERT))),
                        "RotateClientCertificate WRONG_NAME"),
                example("client: checkout's certificate has a third of its 7 days left", EnumSet.of(Concern.CLIENT_CERTIFICATES),
                        o -> o.withCertificates(o.certificates().withClientCertificates(Map.of(TRACKER, TRACKER_CERT,
                                CHECKOUT, PKI.client(CHECKOUT, NOW.minus(Duration.ofDays(5)), Duration.ofDays(7)).chain()))),
                        "RotateClientCertificate CERTIFICATE_DUE"),

                // --- CA generations (the overlap protocol), server side ---
                example("the issuing server CA is due: create the next generation, keep the leaf",
                        EnumSet.of(Concern.SERVER_CERTIFICATE, Concern.CA_GENERATIONS),
                        o -> o.withCertificates(o.certificates().withCas(List.of(DUE_SERVER_CA.certificate()), List.of())
                                .withServerCertificate(TestPki.issueServer(DUE_SERVER_CA, HOST, NOW.minus(Duration.ofHours(1)), Duration.ofDays(30)).chain())),
                        "CreateCa CA_RENEWAL_DUE"),
                example("the next server CA is not confirmed in every workload's bundle yet: wait",
                        EnumSet.of(Concern.SERVER_CERTIFICATE, Concern.CA_GENERATIONS),
                        o -> rotatingServerCa(o, List.of(DUE_SERVER_CA.certificate()))),
                example("Azure confirmed the next server CA: switch to it, then re-issue the leaf under it",
                        EnumSet.of(Concern.SERVER_CERTIFICATE, Concern.CA_GENERATIONS),
                        o -> rotatingServerCa(o, List.of(DUE_SERVER_CA.certificate(), NEXT_SERVER_CA.certificate())),
                        "StartIssuing NEXT_CA_CONFIRMED", "RotateServerCertificate ISSUER_SUPERSEDED"),
                example("the previous server CA expired: retire it", EnumSet.of(Concern.SERVER_CERTIFICATE, Concern.CA_GENERATIONS),
                        o -> o.withCertificates(o.certificates().withCas(List.of(PKI.serverCa.certificate(), EXPIRED_SERVER_CA.certificate()), List.of())),
                        "RetireCa PREVIOUS_CA_EXPIRED"),

                // --- trust exchange and the revocation list ---
                example("trust exchange: healthy", EnumSet.of(Concern.TRUST_EXCHANGE), o -> o),
                example("the client CAs are not on AWS yet: publish them", EnumSet.of(Concern.TRUST_EXCHANGE),
                        o -> o.withTrustExchange(new TrustExchangeState(List.of(), List.of(PKI.serverCa.certificate()))),
                        "PublishClientCas CA_COPY_MISSING"),
                example("AWS lists another client CA: publish ours", EnumSet.of(Concern.TRUST_EXCHANGE),
                        o -> o.withTrustExchange(new TrustExchangeState(List.of(FOREIGN_CA.certificate()), List.of(PKI.serverCa.certificate()))),
                        "PublishClientCas CA_COPY_DRIFT"),
                example("the server CAs are not mirrored yet: mirror them", EnumSet.of(Concern.TRUST_EXCHANGE),
                        o -> o.withCertificates(o.certificates().withCas(List.of(), List.of(PKI.clientCa.certificate()))),
                        "MirrorServerCas CA_COPY_MISSING"),
                example("the revocation list has 2 of its 7 days left: publish a new one", EnumSet.of(Concern.TRUST_EXCHANGE),
                        o -> o.withRevocations(new RevocationState(o.revocations().clientCertificateVersions(),
                                Optional.of(crl(List.of(), NOW.minus(Duration.ofDays(5)))))),
                        "PublishRevocationList REVOCATION_LIST_EXPIRING"),
                example("checkout's certificate was replaced two days in: the list must name it", EnumSet.of(Concern.TRUST_EXCHANGE),
                        o -> o.withRevocations(new RevocationState(Map.of(TRACKER, TRACKER_CERT, CHECKOUT, List.of(
                                PKI.client(CHECKOUT, NOW.minus(Duration.ofDays(2)), Duration.ofDays(7)).leaf(), CHECKOUT_CERT.get(0))),
                                o.revocations().publishedCrl())),
                        "PublishRevocationList REVOKED_EARLY"),

                // --- EKS: the gateway's secrets and ClientTrafficPolicy ---
                example("eks: healthy", EnumSet.of(Concern.EKS_SECRETS), o -> o),
                example("eks: the client CA bundle holds another CA", EnumSet.of(Concern.EKS_SECRETS),
                        o -> o.withSecrets(withSecret(o.secrets(), bundle("relay", SPEC.relay().clientCaSecret(), FOREIGN_CA.certificate()))),
                        "WriteGatewayClientCaBundle CA_COPY_DRIFT"),
                example("eks: the gateway serves another certificate", EnumSet.of(Concern.EKS_SECRETS),
                        o -> o.withSecrets(withSecret(o.secrets(), new SecretState("relay", SPEC.relay().tlsSecret(), Map.of(), "cd".repeat(32)))),
                        "WriteGatewayTlsSecret SERVED_CERTIFICATE_DRIFT"),
                example("eks: the ClientTrafficPolicy was deleted", EnumSet.of(Concern.EKS_SECRETS),
                        o -> o.withClusterPolicies(ClusterPolicies.none()),
                        "WriteGatewayClientPolicy POLICY_MISSING"),
                example("eks: the ClientTrafficPolicy allows TLS 1.2", EnumSet.of(Concern.EKS_SECRETS),
                        o -> o.withClusterPolicies(new ClusterPolicies(o.clusterPolicies().gatewayClientPolicy().map(p -> new GatewayClientPolicy(
                                p.namespace(), p.name(), p.targets(), "1.2", p.mode(), p.caCertificateRefs(), p.crlRefs(), p.subjectAltNameUris(),
                                p.otherSettings())), Map.of())),
                        "WriteGatewayClientPolicy POLICY_DRIFT"),
                example("eks: the gateway holds an older revocation list", EnumSet.of(Concern.EKS_SECRETS),
                        o -> o.withRevocations(new RevocationState(Map.of(), Optional.of(crl(List.of(), NOW.minus(Duration.ofDays(1)))))),
                        "WriteGatewayRevocationList REVOCATION_LIST_DRIFT"),
                example("eks: the first revocation list was published: copy it, then reference it in the policy", EnumSet.of(Concern.EKS_SECRETS),
                        PlannerExamplesTest::withoutGatewayRevocationList,
                        "WriteGatewayRevocationList REVOCATION_LIST_MISSING", "WriteGatewayClientPolicy POLICY_DRIFT"),

                // --- AKS: the workloads' secrets and egress NetworkPolicies ---
                example("aks: healthy", EnumSet.of(Concern.AKS_SECRETS, Concern.AKS_NETWORK_POLICIES), o -> o),
                example("aks: checkout's secret holds an older certificate", EnumSet.of(Concern.AKS_SECRETS),
                        o -> o.withSecrets(withSecret(o.secrets(), workloadSecret("payments", "ef".repeat(32), List.of(PKI.serverCa.certificate())))),
                        "WriteWorkloadSecret WORKLOAD_CERTIFICATE_DRIFT"),
                example("aks: checkout's server CA bundle is stale", EnumSet.of(Concern.AKS_SECRETS),
                        o -> o.withSecrets(withSecret(o.secrets(), workloadSecret("payments", Certificates.fingerprint(CHECKOUT_CERT.get(0)),
                                List.of(FOREIGN_CA.certificate())))),
                        "WriteWorkloadSecret CA_COPY_DRIFT"),
                example("aks: tracker's NetworkPolicy was deleted", EnumSet.of(Concern.AKS_NETWORK_POLICIES),
                        o -> o.withClusterPolicies(new ClusterPolicies(Optional.empty(), Map.of("payments/" + workload("payments").networkPolicyName(),
                                egress(workload("payments"), Set.of(RELAY_IP))))),
                        "WriteWorkloadEgressPolicy POLICY_MISSING"),
                example("aks: checkout's NetworkPolicy allows another address", EnumSet.of(Concern.AKS_NETWORK_POLICIES),
                        o -> o.withClusterPolicies(withEgress(o.clusterPolicies(), egress(workload("payments"), Set.of(RELAY_IP, "10.9.9.9")))),
                        "WriteWorkloadEgressPolicy POLICY_DRIFT"),

                // --- Azure: private endpoint approval and DNS ---
                example("a private endpoint from the allowed VNet asks: approve it, then publish its address",
                        EnumSet.of(Concern.PRIVATE_ENDPOINTS, Concern.PRIVATE_DNS),
                        o -> o.withAzureNetwork(new AzureNetworkState(List.of(privateEndpoint("relay-pe", TestSpecs.SUBSCRIPTION, TestSpecs.VNET,
                                PrivateEndpointConnection.PENDING)), Set.of())),
                        "ApprovePrivateEndpoint PRIVATE_ENDPOINT_ALLOWED", "SetDnsRecord DNS_DRIFT"),
                example("a private endpoint from a stranger's subscription: reject it", EnumSet.of(Concern.PRIVATE_ENDPOINTS),
                        o -> o.withAzureNetwork(new AzureNetworkState(List.of(privateEndpoint("stranger-pe", TestSpecs.STRANGER_SUBSCRIPTION,
                                TestSpecs.VNET.replace(TestSpecs.SUBSCRIPTION, TestSpecs.STRANGER_SUBSCRIPTION), PrivateEndpointConnection.PENDING)),
                                Set.of())),
                        "RejectPrivateEndpoint SUBSCRIPTION_NOT_ALLOWED"),
                example("an approved private endpoint from another VNet of the allowed subscription: reject it",
                        EnumSet.of(Concern.PRIVATE_ENDPOINTS),
                        o -> o.withAzureNetwork(new AzureNetworkState(List.of(privateEndpoint("other-vnet-pe", TestSpecs.SUBSCRIPTION,
                                TestSpecs.VNET.replace("aks-vnet", "other-vnet"), PrivateEndpointConnection.APPROVED)), Set.of())),
                        "RejectPrivateEndpoint VNET_NOT_ALLOWED"),
                example("the approved endpoint is gone: empty the DNS record", EnumSet.of(Concern.PRIVATE_ENDPOINTS, Concern.PRIVATE_DNS),
                        o -> o.withAzureNetwork(new AzureNetworkState(List.of(), Set.of(RELAY_IP))),
                        "SetDnsRecord DNS_DRIFT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void thePlanHoldsTheseActionsWithTheseCodes(Example example) {
        ObservedState observed = example.change().apply(healthy());
        Plan plan = Planner.plan(SPEC, observed, NOW, example.concerns());

        assertThat(plan.actions()).extracting(a -> a.getClass().getSimpleName() + " " + a.code())
                .as(example.name()).containsExactlyElementsOf(example.expected());
        assertThat(plan.actions()).allSatisfy(a -> assertThat(a.reason()).isNotBlank());
    }

    /**
     * The link as the spec wants it, for every concern: a row's concerns see no difference here
     * ({@code *: healthy} rows check that), so only the row's change can cause an action.
     */
    static ObservedState healthy() {
        List<X509Certificate> serverCas = List.of(PKI.serverCa.certificate());
        List<X509Certificate> clientCas = List.of(PKI.clientCa.certificate());
        ObservedState observed = ObservedState.empty()
                .withPrivateLink(PrivateLinkState.of(LOCKED_DOWN))
                .withLoadBalancer(LoadBalancerState.none().withListeners(LISTENER)
                        .withSecurityGroup(Set.of(SECURITY_GROUP), Set.of(TRANSIT))
                        .withTargetGroupBinding(Optional.of(Planner.targetGroupBinding(SPEC))))
                .withCertificates(new CertificateState(serverCas, clientCas, Optional.of(SERVER_CERT), Optional.empty(),
                        Map.of(CHECKOUT, CHECKOUT_CERT, TRACKER, TRACKER_CERT)))
                .withTrustExchange(new TrustExchangeState(clientCas, serverCas))
                .withRevocations(new RevocationState(Map.of(CHECKOUT, CHECKOUT_CERT, TRACKER, TRACKER_CERT), Optional.of(CRL)))
                .withSecrets(new ClusterSecretsState(
                        ClusterSecretsState.byKey(new SecretState("relay", SPEC.relay().tlsSecret(), Map.of(), Certificates.fingerprint(SERVER_CERT.get(0))),
                                bundle("relay", SPEC.relay().clientCaSecret(), PKI.clientCa.certificate()),
                                new SecretState("relay", SPEC.relay().crlSecret(), Map.of("ca.crl", SecretState.sha256Hex(CRL)), "")),
                        ClusterSecretsState.byKey(workloadSecret("payments", Certificates.fingerprint(CHECKOUT_CERT.get(0)), serverCas),
                                workloadSecret("shipping", Certificates.fingerprint(TRACKER_CERT.get(0)), serverCas))))
                .withAzureNetwork(new AzureNetworkState(List.of(privateEndpoint("relay-pe", TestSpecs.SUBSCRIPTION, TestSpecs.VNET,
                        PrivateEndpointConnection.APPROVED)), Set.of(RELAY_IP)))
                .withAcknowledged(BundleAcknowledgements.none());
        Map<String, WorkloadEgressPolicy> egress = new HashMap<>();
        for (LinkSpec.Workload workload : SPEC.workloads()) {
            WorkloadEgressPolicy policy = egress(workload, Set.of(RELAY_IP));
            egress.put(policy.key(), policy);
        }
        return observed.withClusterPolicies(new ClusterPolicies(Optional.of(Planner.gatewayClientPolicy(SPEC, observed, false)), egress));
    }

    // --- the vocabulary of the rows ---

    private static Example example(String name, Set<Concern> concerns, UnaryOperator<ObservedState> change, String... expected) {
        return new Example(name, concerns, change, List.of(expected));
    }

    private static CertificateAuthority ca(String name, Instant created) {
        return CertificateAuthority.selfSigned(InMemorySigner.generate(), name, created, Duration.ofDays(365));
    }

    /** The server CA due for renewal issues, its successor is published, and Azure confirmed {@code confirmed} in the workloads' bundles. */
    private static ObservedState rotatingServerCa(ObservedState o, List<X509Certificate> confirmed) {
        return o.withCertificates(o.certificates().withCas(List.of(DUE_SERVER_CA.certificate(), NEXT_SERVER_CA.certificate()), List.of())
                        .withServerCertificate(TestPki.issueServer(DUE_SERVER_CA, HOST, NOW.minus(Duration.ofHours(1)), Duration.ofDays(30)).chain()))
                .withAcknowledged(new BundleAcknowledgements(Optional.empty(), Optional.of(confirmed)));
    }

    /** The gateway has no revocation list yet, and its policy references none (as relay-link wrote it then). */
    private static ObservedState withoutGatewayRevocationList(ObservedState o) {
        Map<String, SecretState> eks = new HashMap<>(o.secrets().eks());
        eks.remove("relay/" + SPEC.relay().crlSecret());
        ObservedState before = o.withSecrets(new ClusterSecretsState(eks, o.secrets().aks()));
        return before.withClusterPolicies(new ClusterPolicies(Optional.of(Planner.gatewayClientPolicy(SPEC, before, false)),
                o.clusterPolicies().workloadEgress()));
    }

    private static EndpointServiceState service(boolean acceptanceRequired, Set<String> principals, Set<String> loadBalancers) {
        return new EndpointServiceState(LOCKED_DOWN.serviceId(), LOCKED_DOWN.serviceName(), acceptanceRequired, principals, loadBalancers);
    }

    private static EndpointConnection connection(String id, String owner, String state) {
        return new EndpointConnection(id, owner, state);
    }

    private static String crl(List<X509Certificate> revoked, Instant issued) {
        return Pem.write(PKI.clientCa.revocationList(revoked, issued, Planner.CRL_VALIDITY));
    }

    private static SecretState bundle(String namespace, String name, X509Certificate... cas) {
        return new SecretState(namespace, name, Map.of("ca.crt", SecretState.sha256Hex(TrustBundle.of(cas).pem())), "");
    }

    private static LinkSpec.Workload workload(String namespace) {
        return SPEC.workloads().stream().filter(w -> w.namespace().equals(namespace)).findFirst().orElseThrow();
    }

    private static SecretState workloadSecret(String namespace, String fingerprint, List<X509Certificate> serverCas) {
        LinkSpec.Workload workload = workload(namespace);
        return new SecretState(namespace, workload.secretName(), Map.of("ca.crt", SecretState.sha256Hex(TrustBundle.of(serverCas).pem())), fingerprint);
    }

    private static ClusterSecretsState withSecret(ClusterSecretsState secrets, SecretState secret) {
        Map<String, SecretState> eks = new HashMap<>(secrets.eks());
        Map<String, SecretState> aks = new HashMap<>(secrets.aks());
        (secret.namespace().equals("relay") ? eks : aks).put(secret.key(), secret);
        return new ClusterSecretsState(eks, aks);
    }

    private static WorkloadEgressPolicy egress(LinkSpec.Workload workload, Set<String> relayIps) {
        return new WorkloadEgressPolicy(workload.namespace(), workload.networkPolicyName(), workload.podSelector(), relayIps,
                SPEC.relay().port(), true, List.of());
    }

    private static ClusterPolicies withEgress(ClusterPolicies policies, WorkloadEgressPolicy policy) {
        Map<String, WorkloadEgressPolicy> egress = new HashMap<>(policies.workloadEgress());
        egress.put(policy.key(), policy);
        return new ClusterPolicies(policies.gatewayClientPolicy(), egress);
    }

    private static PrivateEndpointConnection privateEndpoint(String name, String subscription, String vnet, String status) {
        return new PrivateEndpointConnection("relay-forwarder-pls." + name, "/subscriptions/" + subscription
                + "/resourceGroups/aks-rg/providers/Microsoft.Network/privateEndpoints/" + name, subscription, vnet, status, RELAY_IP);
    }
}
