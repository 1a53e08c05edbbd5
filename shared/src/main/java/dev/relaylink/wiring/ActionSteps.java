package dev.relaylink.wiring;

import dev.relaylink.failure.ConfigurationFailure;
import dev.relaylink.failure.RetryableFailure;
import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.plan.Action;
import dev.relaylink.plan.Action.CaSide;
import dev.relaylink.plan.Executor;
import dev.relaylink.plan.Planner;
import dev.relaylink.port.OwnedCa;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.SecretState;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies each kind of {@link Action} through the port (or use case) of the side that owns it. The
 * switch is exhaustive over the sealed action types: an action without a step does not compile.
 * An action of the other side's is a wiring mistake (the planner plans only a side's own concerns).
 */
public final class ActionSteps implements Executor.Steps {
    private final LinkSpec spec;
    private final Side side;
    private final Clock clock;

    public ActionSteps(LinkSpec spec, Side side, Clock clock) {
        this.spec = spec;
        this.side = side;
        this.clock = clock;
    }

    @Override
    public void apply(Action action) {
        LinkSpec.Relay relay = spec.relay();
        switch (action) {
            case Action.CreateEndpointService a -> {
                String id = aws().endpointService().create(spec.name(), a.loadBalancerArn());
                aws().endpointService().modifyPermissions(id, a.allowedPrincipals(), Set.of());
            }
            case Action.RequireAcceptance a -> aws().endpointService().requireAcceptance(a.serviceId());
            case Action.SetEndpointServiceLoadBalancer a -> aws().endpointService().replaceLoadBalancers(a.serviceId(), a.loadBalancerArn(), a.remove());
            case Action.SetAllowedPrincipals a -> aws().endpointService().modifyPermissions(a.serviceId(), a.add(), a.remove());
            case Action.AcceptConnections a -> aws().endpointService().accept(a.serviceId(), a.vpcEndpointIds());
            case Action.RejectConnections a -> aws().endpointService().reject(a.serviceId(), a.vpcEndpointIds());
            case Action.DeleteListener a -> aws().loadBalancer().deleteListener(a.listenerArn());
            case Action.CreateListener a -> aws().loadBalancer().createListener(a.loadBalancerArn(), a.port(), a.targetGroupArn());
            case Action.RegisterTargets a -> aws().loadBalancer().register(a.targetGroupArn(), a.targets());
            case Action.DeregisterTargets a -> aws().loadBalancer().deregister(a.targetGroupArn(), a.targets());
            case Action.WriteTargetGroupBinding a -> aws().targetGroupBindings().apply(a.binding());
            case Action.SetLoadBalancerSecurityGroups a -> aws().loadBalancer().setSecurityGroups(a.loadBalancerArn(), a.securityGroupIds());
            case Action.AuthorizeIngress a -> aws().loadBalancer().authorize(a.securityGroupId(), a.rules());
            case Action.RevokeIngress a -> aws().loadBalancer().revoke(a.securityGroupId(), a.rules());
            case Action.CreateCa a -> ownedCa(a.side()).create(a.side() == CaSide.SERVER ? Planner.SERVER_CA_NAME : Planner.CLIENT_CA_NAME,
                    clock.instant(), spec.certificates().caLifetime());
            case Action.StartIssuing a -> {
                OwnedCa store = ownedCa(a.side());
                store.startIssuing(CaGenerations.find(store.certificates(), a.fingerprint())
                        .orElseThrow(() -> new IllegalStateException("the " + a.side() + " CA " + a.fingerprint() + " is not published")));
            }
            // Already gone from the list means retired: the store puts the key out of use before it drops the certificate.
            case Action.RetireCa a -> {
                OwnedCa store = ownedCa(a.side());
                CaGenerations.find(store.certificates(), a.fingerprint()).ifPresent(store::retire);
            }
            case Action.RotateServerCertificate a -> aws().serverRotation().rotatePlanned();
            case Action.RotateClientCertificate a -> azure().clientRotation().rotateNow(a.workload());
            // Only ever non-empty lists cross: an empty one would take every CA away from the other side.
            case Action.PublishClientCas a -> azure().trustExchange().publishClientCas(
                    nonEmpty(azure().clientCaCertificates().certificates(), "there are no client CA certificates to publish"));
            case Action.PublishRevocationList a -> {
                var ca = azure().clientCa().current().orElseThrow(() -> new IllegalStateException("there is no client CA to sign a revocation list"));
                azure().trustExchange().publishRevocationList(Pem.write(ca.revocationList(a.revoked(), clock.instant(), Planner.CRL_VALIDITY)));
            }
            case Action.MirrorServerCas a -> azure().serverCaMirror().mirror(
                    nonEmpty(azure().trustExchange().serverCas(), "the AWS side publishes no server CA certificates"));
            case Action.AcknowledgeGatewayClientCas a -> {
                var cas = aws().clientCaCertificates().certificates();
                requireHeld(aws().eks(), relay.namespace(), relay.clientCaSecret(), cas, "the gateway's client CA bundle");
                aws().clientCasInGateway().acknowledge(cas);
            }
            case Action.AcknowledgeWorkloadServerCas a -> {
                var cas = azure().serverCaCertificates().certificates();
                for (LinkSpec.Workload w : spec.workloads()) {
                    requireHeld(azure().aks(), w.namespace(), w.secretName(), cas, "the server CA bundle of " + w.namespace() + "/" + w.serviceAccount());
                }
                azure().trustExchange().acknowledgeServerCasInWorkloads(cas);
            }
            case Action.WriteGatewayTlsSecret a -> aws().eks().applyTls(a.namespace(), a.name(),
                    aws().serverCertificates().current().orElseThrow(() -> new IllegalStateException("no current server certificate")),
                    Optional.empty());
            case Action.WriteGatewayClientCaBundle a -> aws().eks().applyCaBundle(a.namespace(), a.name(),
                    TrustBundle.of(aws().clientCaCertificates().certificates()));
            case Action.WriteGatewayRevocationList a -> aws().eks().applyRevocationList(a.namespace(), a.name(),
                    PortObserver.publishedRevocationList(side).orElseThrow(() -> new IllegalStateException("no revocation list is published")));
            case Action.WriteGatewayClientPolicy a -> aws().gatewayPolicy().apply(a.policy());
            case Action.WriteWorkloadSecret a -> azure().clientRotation().writeSecret(a.workload());
            case Action.WriteWorkloadEgressPolicy a -> azure().networkPolicies().apply(a.policy());
            case Action.ApprovePrivateEndpoint a -> azure().privateLinkService().approve(a.connectionName(), "approved by relay-link: " + a.reason());
            case Action.RejectPrivateEndpoint a -> azure().privateLinkService().reject(a.connectionName(), "rejected by relay-link: " + a.reason());
            case Action.SetDnsRecord a -> azure().privateDns().setARecord(a.zone(), a.recordName(), a.ipv4());
        }
    }

    private AwsSide aws() {
        return side.aws().orElseThrow(() -> new ConfigurationFailure("an AWS action was planned on the Azure side"));
    }

    private AzureSide azure() {
        return side.azure().orElseThrow(() -> new ConfigurationFailure("an Azure action was planned on the AWS side"));
    }

    private OwnedCa ownedCa(CaSide ca) {
        return ca == CaSide.SERVER ? aws().serverCa() : azure().clientCa();
    }

    private static List<X509Certificate> nonEmpty(List<X509Certificate> cas, String otherwise) {
        if (cas.isEmpty()) {
            throw new IllegalStateException(otherwise);
        }
        return cas;
    }

    /** A confirmation names only what the cluster holds right now: a bundle that changed since the plan is confirmed by the next run. */
    private static void requireHeld(ClusterSecrets cluster, String namespace, String name, List<X509Certificate> cas, String what) {
        if (cas.isEmpty()) {
            throw new IllegalStateException("there are no CA certificates to confirm in " + what);
        }
        String wanted = SecretState.sha256Hex(TrustBundle.of(cas).pem());
        boolean held = cluster.observe(namespace, name).map(s -> wanted.equals(s.sha256ByKey().get("ca.crt"))).orElse(false);
        if (!held) {
            throw new RetryableFailure(what + " does not hold the current CA certificates yet; confirmed by the next run");
        }
    }
}
