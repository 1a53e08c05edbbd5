package dev.relaylink.aws.handler;

import static dev.relaylink.aws.testing.AwsFunctionsWorld.event;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.fresh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.audit.AuditRecord;
import dev.relaylink.aws.adapter.KmsOwnedCa;
import dev.relaylink.aws.adapter.SecretsManagerPublishedCas;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.ListenerState;
import dev.relaylink.state.Target;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduled reconcile builds the whole AWS side of a new link, then finds nothing to do. */
class ReconcileHandlerTest {
    private AwsFunctionsWorld world;
    private ReconcileHandler handler;

    @BeforeEach
    void setUp() {
        world = new AwsFunctionsWorld();
        handler = new ReconcileHandler(world.link);
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void theFirstRunBuildsTheLinkAndTheSecondFindsItInPlace() {
        HandlerResponse first = world.invoke(handler, fresh(event("scheduled-event.json")));

        assertThat(first.result()).as(first.toString()).isEqualTo("APPLIED");
        var spec = world.spec;
        // endpoint service: locked down, exact principals, the link's NLB
        EndpointServiceState service = world.link.ports().endpointService().describe(spec.name(), spec.aws().nlb().loadBalancerArn()).orElseThrow();
        assertThat(service.acceptanceRequired()).isTrue();
        assertThat(service.allowedPrincipals()).isEqualTo(spec.aws().endpointService().allowedPrincipals());
        assertThat(service.loadBalancerArns()).containsExactly(spec.aws().nlb().loadBalancerArn());
        // NLB: one TCP 443 listener to the gateway target group, the gateway pods as targets, the spec's ingress only
        List<ListenerState> listeners = world.link.ports().loadBalancer().listeners(spec.aws().nlb().loadBalancerArn());
        assertThat(listeners).singleElement().satisfies(l -> {
            assertThat(l.port()).isEqualTo(443);
            assertThat(l.protocol()).isEqualTo("TCP");
            assertThat(l.targetGroupArn()).isEqualTo(spec.aws().nlb().targetGroupArn());
        });
        assertThat(world.link.ports().loadBalancer().registeredTargets(spec.aws().nlb().targetGroupArn()))
                .isEqualTo(AwsFunctionsWorld.GATEWAY_PODS.stream().map(ip -> new Target(ip, AwsFunctionsWorld.GATEWAY_POD_PORT)).collect(Collectors.toSet()));
        assertThat(world.link.ports().loadBalancer().ingressRules(spec.aws().nlb().securityGroupId()))
                .containsExactly(new IngressRule("tcp", 443, "10.20.0.0/24"));
        // server CA in KMS, server certificate current in Secrets Manager and served from the EKS secret
        var cas = new SecretsManagerPublishedCas(world.aws.secretsManager(), KmsOwnedCa.caSecretIdFor(spec.aws().serverCertSecretId())).certificates();
        assertThat(cas).hasSize(1);
        Credential current = world.link.ports().serverCertificates().current().orElseThrow();
        ChainValidator.validate(current.chain(), TrustBundle.of(cas), world.clock.instant());
        assertThat(Certificates.dnsNames(current.leaf())).containsExactly(spec.relay().hostName());
        assertThat(world.eks.client.secrets().inNamespace("relay").withName(spec.relay().tlsSecret()).get().getType()).isEqualTo("kubernetes.io/tls");
        assertThat(world.link.ports().eks().observe("relay", spec.relay().tlsSecret()).orElseThrow().certificateFingerprint())
                .isEqualTo(Certificates.fingerprint(current.leaf()));
        assertThat(world.link.ports().eks().observe("relay", spec.relay().clientCaSecret())).isPresent();
        // the gateway's ClientTrafficPolicy: TLS 1.3, the client CA, one Exact matcher per workload
        var policy = world.link.ports().gatewayPolicy().observe("relay", spec.relay().clientTrafficPolicy()).orElseThrow();
        assertThat(policy.minVersion()).isEqualTo("1.3");
        assertThat(policy.mode()).isEqualTo("RequireAndVerify");
        assertThat(policy.caCertificateRefs()).containsExactly("Secret/relay/" + spec.relay().clientCaSecret());
        assertThat(policy.subjectAltNameUris()).containsExactlyElementsOf(spec.allowedSpiffeIds().stream()
                .map(id -> "Exact:" + id).sorted().toList());
        assertThat(first.actions()).extracting(HandlerResponse.Audited::action).contains("CreateCa", "CreateEndpointService",
                "CreateListener", "RegisterTargets", "AuthorizeIngress", "RotateServerCertificate",
                "WriteGatewayClientCaBundle", "WriteGatewayClientPolicy");
        assertThat(first.actions()).allMatch(a -> a.outcome().equals("APPLIED"));
        assertThat(world.metricLines()).anyMatch(l -> l.has("DaysToExpiry") && l.get("Certificate").asText().equals("server"));

        HandlerResponse second = world.invoke(handler, fresh(event("scheduled-event.json")));

        assertThat(second.result()).as(second.toString()).isEqualTo("NO_CHANGE");
        assertThat(second.actions()).extracting(HandlerResponse.Audited::outcome).containsExactly(AuditRecord.Outcome.NO_CHANGE.name());
    }

    /** Everything the reconcile owns drifted at once (and the server certificate came due): one run puts it all back. */
    /**
     * The scheduled reconcile renews the server CA through two generations: the next CA on a new KMS
     * key of its own, issuing switched once the Azure side's confirmation names it, the previous one
     * retired after it expired; a key relay-link created is scheduled for deletion when its CA is
     * retired, the stack's own key never is. Here the test writes the Azure side's confirmation.
     */
    @Test
    void theServerCaIsRenewedOnNewKeysAndARetiredGenerationsKeyIsScheduledForDeletion() {
        var spec = world.spec;
        var serverCas = new SecretsManagerPublishedCas(world.aws.secretsManager(), KmsOwnedCa.caSecretIdFor(spec.aws().serverCertSecretId()));
        var confirmation = new SecretsManagerPublishedCas(world.aws.secretsManager(), world.link.settings().serverCasInWorkloadsSecretId());
        String stackKey = world.aws.kms().describeKey(r -> r.keyId(spec.aws().serverCaKeyId())).keyMetadata().keyId();
        world.invoke(handler, fresh(event("scheduled-event.json")));
        java.util.Set<String> seen = new java.util.LinkedHashSet<>(TrustBundle.of(serverCas.certificates()).fingerprints());

        // Two CA lifetimes and a little more, a reconcile every 20 days (the server certificate lives 30).
        for (int day = 20; day <= 2 * 365 + 40; day += 20) {
            world.clock.advance(java.time.Duration.ofDays(20));
            confirmation.acknowledge(serverCas.certificates()); // what every workload's bundle holds, as the Azure side confirms it
            HandlerResponse result = world.invoke(handler, fresh(event("scheduled-event.json")));
            assertThat(result.result()).as("day " + day + ": " + result).isIn("APPLIED", "NO_CHANGE");
            seen.addAll(TrustBundle.of(serverCas.certificates()).fingerprints());
            Credential served = world.link.ports().serverCertificates().current().orElseThrow();
            ChainValidator.validate(served.chain(), TrustBundle.of(serverCas.certificates()), world.clock.instant());
        }

        assertThat(seen).as("server CA generations over two lifetimes").hasSizeGreaterThanOrEqualTo(3);
        assertThat(serverCas.certificates()).as("at most two generations trusted").hasSizeBetween(1, 2);
        assertThat(world.aws.kms().describeKey(r -> r.keyId(stackKey)).keyMetadata().keyStateAsString()).isEqualTo("Enabled");
        var created = world.aws.kms().listKeys().keys().stream().map(k -> k.keyId()).filter(id -> !id.equals(stackKey))
                .map(id -> world.aws.kms().describeKey(r -> r.keyId(id)).keyMetadata())
                .filter(m -> world.aws.kms().listResourceTags(r -> r.keyId(m.keyId())).tags().stream()
                        .anyMatch(t -> t.tagKey().equals("relay-link:link") && t.tagValue().equals(spec.name())))
                .toList();
        assertThat(created).as("keys relay-link created for later generations").hasSizeGreaterThanOrEqualTo(2)
                .allMatch(m -> m.keySpecAsString().equals("ECC_NIST_P256") && m.keyUsageAsString().equals("SIGN_VERIFY"));
        assertThat(created).as("the retired generation's key").anyMatch(m -> m.keyStateAsString().equals("PendingDeletion"));
    }

    @Test
    void oneRunRepairsEveryDriftAndRenewsADueServerCertificate() {
        world.invoke(handler, fresh(event("scheduled-event.json")));
        var spec = world.spec;
        var nlb = spec.aws().nlb();
        String serviceId = world.endpointServiceId().orElseThrow();
        String servedBefore = world.link.ports().eks().observe("relay", spec.relay().tlsSecret()).orElseThrow().certificateFingerprint();
        world.aws.ec2().modifyVpcEndpointServiceConfiguration(r -> r.serviceId(serviceId).acceptanceRequired(false));
        world.aws.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(serviceId).addAllowedPrincipals("*"));
        world.ec2Stub.connect(serviceId, "vpce-0000000000000bad", AwsFunctionsWorld.STRANGER);
        world.ec2Stub.connect(serviceId, "vpce-000000000000900d", AwsFunctionsWorld.CONSUMER);
        world.aws.elb().createListener(r -> r.loadBalancerArn(nlb.loadBalancerArn()).protocol("TCP").port(8080)
                .defaultActions(a -> a.type("forward").targetGroupArn(nlb.targetGroupArn())));
        world.aws.elb().registerTargets(r -> r.targetGroupArn(nlb.targetGroupArn()).targets(t -> t.id("10.0.1.99").port(AwsFunctionsWorld.GATEWAY_POD_PORT)));
        world.aws.ec2().authorizeSecurityGroupIngress(r -> r.groupId(nlb.securityGroupId()).ipPermissions(p -> p.ipProtocol("tcp")
                .fromPort(443).toPort(443).ipRanges(ip -> ip.cidrIp("0.0.0.0/0"))));
        String other = world.aws.ec2().createSecurityGroup(r -> r.vpcId(world.network.vpcId()).groupName("other-" + world.network.suffix())
                .description("not the link's")).groupId();
        world.aws.elb().setSecurityGroups(r -> r.loadBalancerArn(nlb.loadBalancerArn()).securityGroups(other));
        world.clock.advance(spec.certificates().server().lifetime().minus(java.time.Duration.ofDays(1)));

        HandlerResponse result = world.invoke(handler, fresh(event("scheduled-event.json")));

        assertThat(result.result()).as(result.toString()).isEqualTo("APPLIED");
        assertThat(result.actions()).extracting(HandlerResponse.Audited::action).contains("RequireAcceptance", "SetAllowedPrincipals",
                "RejectConnections", "AcceptConnections", "DeleteListener", "DeregisterTargets", "RevokeIngress",
                "SetLoadBalancerSecurityGroups", "RotateServerCertificate");
        assertThat(world.ec2Stub.state("vpce-0000000000000bad")).isEqualTo("rejected");
        assertThat(world.ec2Stub.state("vpce-000000000000900d")).isEqualTo("available");
        assertThat(world.link.ports().loadBalancer().listeners(nlb.loadBalancerArn())).singleElement()
                .satisfies(l -> assertThat(l.port()).isEqualTo(443));
        assertThat(world.link.ports().loadBalancer().securityGroups(nlb.loadBalancerArn())).containsExactly(nlb.securityGroupId());
        assertThat(world.link.ports().loadBalancer().ingressRules(nlb.securityGroupId())).containsExactly(new IngressRule("tcp", 443, "10.20.0.0/24"));
        Credential current = world.link.ports().serverCertificates().current().orElseThrow();
        assertThat(Certificates.fingerprint(current.leaf())).isNotEqualTo(servedBefore);
        assertThat(world.link.ports().eks().observe("relay", spec.relay().tlsSecret()).orElseThrow().certificateFingerprint())
                .isEqualTo(Certificates.fingerprint(current.leaf()));
    }
}
