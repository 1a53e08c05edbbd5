package dev.relaylink.link;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.plan.Action;
import dev.relaylink.plan.Action.CaSide;
import dev.relaylink.plan.Executor;
import dev.relaylink.plan.Planner;
import dev.relaylink.port.CaStore;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.state.SecretState;
import dev.relaylink.spec.LinkSpec;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/** Wires each kind of {@link Action} to the port (or use case) that applies it, for the ports a side has. */
public final class LinkSteps {
    private LinkSteps() {
    }

    public static Executor executor(LinkSpec spec, LinkPorts ports, ServerCertificateRotation serverRotation,
                                    ClientCertificateRotation clientRotation, AuditLog audit, Clock clock) {
        Executor.Builder steps = Executor.builder(audit, clock);
        var service = ports.endpointService();
        if (service != null) {
            steps.on(Action.CreateEndpointService.class, a -> {
                String id = service.create(spec.name(), a.loadBalancerArn());
                service.modifyPermissions(id, a.allowedPrincipals(), Set.of());
            });
            steps.on(Action.RequireAcceptance.class, a -> service.requireAcceptance(a.serviceId()));
            steps.on(Action.SetEndpointServiceLoadBalancer.class, a -> service.replaceLoadBalancers(a.serviceId(), a.loadBalancerArn(), a.remove()));
            steps.on(Action.SetAllowedPrincipals.class, a -> service.modifyPermissions(a.serviceId(), a.add(), a.remove()));
            steps.on(Action.AcceptConnections.class, a -> service.accept(a.serviceId(), a.vpcEndpointIds()));
            steps.on(Action.RejectConnections.class, a -> service.reject(a.serviceId(), a.vpcEndpointIds()));
        }
        var nlb = ports.loadBalancer();
        if (nlb != null) {
            steps.on(Action.DeleteListener.class, a -> nlb.deleteListener(a.listenerArn()));
            steps.on(Action.CreateListener.class, a -> nlb.createListener(a.loadBalancerArn(), a.port(), a.targetGroupArn()));
            steps.on(Action.RegisterTargets.class, a -> nlb.register(a.targetGroupArn(), a.targets()));
            steps.on(Action.DeregisterTargets.class, a -> nlb.deregister(a.targetGroupArn(), a.targets()));
            steps.on(Action.SetLoadBalancerSecurityGroups.class, a -> nlb.setSecurityGroups(a.loadBalancerArn(), a.securityGroupIds()));
            steps.on(Action.AuthorizeIngress.class, a -> nlb.authorize(a.securityGroupId(), a.rules()));
            steps.on(Action.RevokeIngress.class, a -> nlb.revoke(a.securityGroupId(), a.rules()));
        }
        steps.on(Action.CreateCa.class, a -> {
            var store = a.side() == CaSide.SERVER ? ports.serverCa() : ports.clientCa();
            if (store == null) {
                throw new IllegalStateException("this side does not own the " + a.side() + " CA");
            }
            store.create(a.side() == CaSide.SERVER ? Planner.SERVER_CA_NAME : Planner.CLIENT_CA_NAME, clock.instant(), spec.certificates().caLifetime());
        });
        steps.on(Action.StartIssuing.class, a -> {
            CaStore store = caStore(ports, a.side());
            store.startIssuing(CaGenerations.find(store.certificates(), a.fingerprint())
                    .orElseThrow(() -> new IllegalStateException("the " + a.side() + " CA " + a.fingerprint() + " is not published")));
        });
        // Already gone from the list means retired: the store puts the key out of use before it drops the certificate.
        steps.on(Action.RetireCa.class, a -> {
            CaStore store = caStore(ports, a.side());
            CaGenerations.find(store.certificates(), a.fingerprint()).ifPresent(store::retire);
        });
        if (ports.clientCasInGateway() != null && ports.eks() != null) {
            var relay = spec.relay();
            steps.on(Action.AcknowledgeGatewayClientCas.class, a -> {
                var cas = ports.clientCaCertificates().certificates();
                requireHeld(ports.eks(), relay.namespace(), relay.clientCaSecret(), cas, "the gateway's client CA bundle");
                ports.clientCasInGateway().acknowledge(cas);
            });
        }
        var exchange = ports.trustExchange();
        if (exchange != null) {
            // Only ever non-empty lists cross: an empty one would take every CA away from the other side.
            steps.on(Action.PublishClientCas.class, a -> {
                var cas = ports.clientCaCertificates().certificates();
                if (cas.isEmpty()) {
                    throw new IllegalStateException("there are no client CA certificates to publish");
                }
                exchange.publishClientCas(cas);
            });
            steps.on(Action.PublishRevocationList.class, a -> {
                var ca = ports.clientCa().current().orElseThrow(() -> new IllegalStateException("there is no client CA to sign a revocation list"));
                exchange.publishRevocationList(Pem.write(ca.revocationList(a.revoked(), clock.instant(), Planner.CRL_VALIDITY)));
            });
            if (ports.aks() != null) {
                steps.on(Action.AcknowledgeWorkloadServerCas.class, a -> {
                    var cas = ports.serverCaCertificates().certificates();
                    for (LinkSpec.Workload w : spec.workloads()) {
                        requireHeld(ports.aks(), w.namespace(), w.secretName(), cas, "the server CA bundle of " + w.namespace() + "/" + w.serviceAccount());
                    }
                    exchange.acknowledgeServerCasInWorkloads(cas);
                });
            }
            if (ports.serverCaMirror() != null) {
                steps.on(Action.MirrorServerCas.class, a -> {
                    var cas = exchange.serverCas();
                    if (cas.isEmpty()) {
                        throw new IllegalStateException("the AWS side publishes no server CA certificates");
                    }
                    ports.serverCaMirror().mirror(cas);
                });
            }
        }
        if (serverRotation != null) {
            steps.on(Action.RotateServerCertificate.class, a -> serverRotation.rotatePlanned());
        }
        if (ports.eks() != null) {
            steps.on(Action.WriteGatewayTlsSecret.class, a -> ports.eks().applyTls(a.namespace(), a.name(),
                    ports.serverCertificates().current().orElseThrow(() -> new IllegalStateException("no current server certificate")),
                    Optional.empty()));
            steps.on(Action.WriteGatewayClientCaBundle.class, a -> ports.eks().applyCaBundle(a.namespace(), a.name(),
                    TrustBundle.of(ports.clientCaCertificates().certificates())));
            steps.on(Action.WriteGatewayRevocationList.class, a -> ports.eks().applyRevocationList(a.namespace(), a.name(),
                    PortObserver.publishedRevocationList(ports).orElseThrow(() -> new IllegalStateException("no revocation list is published"))));
        }
        if (ports.gatewayPolicy() != null) {
            steps.on(Action.WriteGatewayClientPolicy.class, a -> ports.gatewayPolicy().apply(a.policy()));
        }
        if (ports.targetGroupBindings() != null) {
            steps.on(Action.WriteTargetGroupBinding.class, a -> ports.targetGroupBindings().apply(a.binding()));
        }
        if (ports.networkPolicies() != null) {
            steps.on(Action.WriteWorkloadEgressPolicy.class, a -> ports.networkPolicies().apply(a.policy()));
        }
        if (clientRotation != null) {
            steps.on(Action.RotateClientCertificate.class, a -> clientRotation.rotateNow(a.workload()));
            steps.on(Action.WriteWorkloadSecret.class, a -> clientRotation.writeSecret(a.workload()));
        }
        var pls = ports.privateLinkService();
        if (pls != null) {
            steps.on(Action.ApprovePrivateEndpoint.class, a -> pls.approve(a.connectionName(), "approved by relay-link: " + a.reason()));
            steps.on(Action.RejectPrivateEndpoint.class, a -> pls.reject(a.connectionName(), "rejected by relay-link: " + a.reason()));
        }
        if (ports.privateDns() != null) {
            steps.on(Action.SetDnsRecord.class, a -> ports.privateDns().setARecord(a.zone(), a.recordName(), a.ipv4()));
        }
        return steps.build();
    }

    /** A confirmation names only what the cluster holds right now: a bundle that changed since the plan is confirmed by the next run. */
    private static void requireHeld(ClusterSecrets cluster, String namespace, String name, java.util.List<java.security.cert.X509Certificate> cas,
                                    String what) {
        if (cas.isEmpty()) {
            throw new IllegalStateException("there are no CA certificates to confirm in " + what);
        }
        String wanted = SecretState.sha256Hex(TrustBundle.of(cas).pem());
        boolean held = cluster.observe(namespace, name).map(s -> wanted.equals(s.sha256ByKey().get("ca.crt"))).orElse(false);
        if (!held) {
            throw new IllegalStateException(what + " does not hold the current CA certificates yet; confirmed by the next run");
        }
    }

    private static CaStore caStore(LinkPorts ports, CaSide side) {
        CaStore store = side == CaSide.SERVER ? ports.serverCa() : ports.clientCa();
        if (store == null) {
            throw new IllegalStateException("this side does not own the " + side + " CA");
        }
        return store;
    }
}
