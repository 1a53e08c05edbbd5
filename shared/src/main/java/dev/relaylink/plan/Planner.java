package dev.relaylink.plan;

import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.pki.Revocations;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.plan.Action.CaSide;
import dev.relaylink.spec.LinkSpec.Workload;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.EndpointServiceState;
import dev.relaylink.state.GatewayClientPolicy;
import dev.relaylink.state.IngressRule;
import dev.relaylink.state.ListenerState;
import dev.relaylink.state.ObservedState;
import dev.relaylink.state.PendingServerCertificate;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.state.SecretState;
import dev.relaylink.state.Target;
import dev.relaylink.state.WorkloadEgressPolicy;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The pure heart of relay-link: {@code (spec, observed, now) -> plan}. No I/O, no clock, no
 * randomness: the same inputs always give the same plan. Order matters where it must: CAs before
 * the certificates they sign, the endpoint service locked down before any connection is accepted,
 * stale listeners removed before the right one is created, bundles before the leaves that need them
 * (also across clouds: the trust exchange runs right after the CAs, before any leaf is issued or written).
 */
public final class Planner {
    /**
     * A pending server certificate older than this belongs to a rotation that failed and was left: each
     * step takes minutes and the rotation function's retries end within hours. After it, the reconcile
     * repairs the gateway's TLS secret and rotates again (a new pending version replaces the old one).
     */
    public static final java.time.Duration ABANDONED_ROTATION = java.time.Duration.ofDays(1);

    /** Connection ids per accept or reject action (the core's one batch size). */
    public static final int CONNECTION_BATCH = dev.relaylink.policy.ConnectionBatches.PER_ACTION;
    public static final String SERVER_CA_NAME = "relay-link server CA";
    public static final String CLIENT_CA_NAME = "relay-link client CA";
    /** How long a revocation list is valid; a new one is published when half of it is left. */
    public static final java.time.Duration CRL_VALIDITY = java.time.Duration.ofDays(7);

    private Planner() {
    }

    public static Plan plan(LinkSpec spec, ObservedState observed, Instant now, Set<Concern> concerns) {
        List<Action> actions = new ArrayList<>();
        // CAs first: everything signed or bundled below may need them.
        boolean creatingServerCa = concerns.contains(Concern.SERVER_CERTIFICATE) && observed.certificates().serverCas().isEmpty();
        boolean creatingClientCa = concerns.contains(Concern.CLIENT_CERTIFICATES) && observed.certificates().clientCas().isEmpty();
        if (creatingServerCa) {
            actions.add(new Action.CreateCa(CaSide.SERVER, "the server CA does not exist yet", Reason.CA_MISSING));
        }
        if (creatingClientCa) {
            actions.add(new Action.CreateCa(CaSide.CLIENT, "the client CA does not exist yet", Reason.CA_MISSING));
        }
        // Later generations: the next CA when the issuing one is due, the switch once the other cloud confirmed it, retirement.
        boolean generations = concerns.contains(Concern.CA_GENERATIONS);
        CaOutcome serverGenerations = concerns.contains(Concern.SERVER_CERTIFICATE) && !creatingServerCa
                ? planCaGenerations(CaSide.SERVER, observed.certificates().serverCas(), observed.acknowledged().serverCasInWorkloads(),
                        spec.certificates().ca(), now, generations, actions)
                : CaOutcome.NONE;
        CaOutcome clientGenerations = concerns.contains(Concern.CLIENT_CERTIFICATES) && !creatingClientCa
                ? planCaGenerations(CaSide.CLIENT, observed.certificates().clientCas(), observed.acknowledged().clientCasInGateway(),
                        spec.certificates().ca(), now, generations, actions)
                : CaOutcome.NONE;
        // Public CA certificates cross clouds before any certificate the other side must trust is issued or written.
        boolean mirroringServerCas = false;
        if (concerns.contains(Concern.TRUST_EXCHANGE)) {
            mirroringServerCas = planTrustExchange(observed, creatingClientCa, clientGenerations.listChanges(), actions);
        }
        // What the workloads' secrets will carry once this plan ran.
        List<X509Certificate> serverCasForWorkloads = mirroringServerCas ? observed.trustExchange().serverCasInAws() : observed.certificates().serverCas();
        // A workload's secret needs the server CAs to verify relay: wait for them before issuing.
        boolean workloadsCanTrust = !concerns.contains(Concern.AKS_SECRETS) || creatingServerCa || !serverCasForWorkloads.isEmpty();
        java.util.Map<SpiffeId, CertificateRules.Replacement> dueClients = concerns.contains(Concern.CLIENT_CERTIFICATES) && workloadsCanTrust
                ? clientsToRotate(spec, observed, now, clientGenerations.issuingAfter()) : java.util.Map.of();
        // The revocation list names the certificates this plan replaces early too, and is published before
        // the gateway's copy of it is written (the one-process run plans both).
        if (concerns.contains(Concern.TRUST_EXCHANGE)) {
            planRevocationList(spec, observed, creatingClientCa, dueClients.keySet(), now, actions);
        }
        if (concerns.contains(Concern.ENDPOINT_SERVICE)) {
            planEndpointService(spec, observed, actions);
        }
        if (concerns.contains(Concern.ENDPOINT_CONNECTIONS)) {
            planEndpointConnections(spec, observed, concerns.contains(Concern.ENDPOINT_SERVICE), actions);
        }
        if (concerns.contains(Concern.LOAD_BALANCER)) {
            planLoadBalancer(spec, observed, actions);
        }
        // The gateway's trust (client CA bundle, ClientTrafficPolicy) before the certificate it serves with it.
        if (concerns.contains(Concern.EKS_SECRETS)) {
            planGatewayTrust(spec, observed, creatingClientCa, actions);
            if (generations) {
                planGatewayAcknowledgement(spec, observed, creatingClientCa, actions);
            }
        }
        // A server certificate is useless before the gateway can check clients: wait for the client CAs.
        boolean gatewayCanTrust = !concerns.contains(Concern.EKS_SECRETS) || creatingClientCa || !observed.certificates().clientCas().isEmpty();
        // A rotation between createSecret and finishSecret: no second rotation starts, and once its setSecret put the
        // pending certificate in the gateway's TLS secret, that secret is the rotation's (writing the current one back
        // would fail its testSecret). A deleted or foreign secret is still repaired; an abandoned rotation stops counting.
        Optional<PendingServerCertificate> rotation = observed.certificates().pendingServerRotation()
                .filter(pending -> pending.created().isAfter(now.minus(ABANDONED_ROTATION)));
        boolean rotatingServer = false;
        if (concerns.contains(Concern.SERVER_CERTIFICATE) && gatewayCanTrust && rotation.isEmpty()) {
            rotatingServer = planServerCertificate(spec, observed, now, serverGenerations.issuingAfter(), actions);
        }
        if (concerns.contains(Concern.EKS_SECRETS) && !rotatingServer) {
            planGatewayTlsSecret(spec, observed, rotation, actions); // a rotation writes it in its setSecret step
        }
        dueClients.forEach((id, why) -> actions.add(new Action.RotateClientCertificate(id, why.message(), why.code())));
        Set<SpiffeId> rotatingClients = dueClients.keySet();
        if (concerns.contains(Concern.PRIVATE_ENDPOINTS)) {
            planPrivateEndpoints(spec, observed, actions);
        }
        if (concerns.contains(Concern.PRIVATE_DNS)) {
            planPrivateDns(spec, observed, concerns.contains(Concern.PRIVATE_ENDPOINTS), actions);
        }
        if (concerns.contains(Concern.AKS_SECRETS)) {
            planAksSecrets(spec, observed, serverCasForWorkloads, rotatingClients, actions);
            if (concerns.contains(Concern.TRUST_EXCHANGE) && generations) {
                planWorkloadAcknowledgement(spec, observed, serverCasForWorkloads, creatingServerCa, actions);
            }
        }
        if (concerns.contains(Concern.AKS_NETWORK_POLICIES)) {
            // The record's addresses once this plan ran: what pods resolve relay's name to.
            Set<String> relayIps = concerns.contains(Concern.PRIVATE_DNS)
                    ? publishedIps(spec, observed, concerns.contains(Concern.PRIVATE_ENDPOINTS)) : observed.azureNetwork().dnsRecordIps();
            planWorkloadEgress(spec, observed, relayIps, actions);
        }
        return new Plan(actions);
    }

    // --- endpoint service and its connections ---

    private static void planEndpointService(LinkSpec spec, ObservedState observed, List<Action> actions) {
        LinkSpec.Nlb nlb = spec.aws().nlb();
        Set<String> allowed = spec.aws().endpointService().allowedPrincipals();
        Optional<EndpointServiceState> found = observed.privateLink().service();
        if (found.isEmpty()) {
            actions.add(new Action.CreateEndpointService(nlb.loadBalancerArn(), new TreeSet<>(allowed),
                    "no endpoint service fronts the NLB: create it with acceptance required and the allowed principals", Reason.ENDPOINT_SERVICE_MISSING));
            return;
        }
        EndpointServiceState service = found.get();
        if (!service.acceptanceRequired()) {
            actions.add(new Action.RequireAcceptance(service.serviceId(), "acceptance-required was turned off", Reason.ACCEPTANCE_NOT_REQUIRED));
        }
        if (!service.loadBalancerArns().equals(Set.of(nlb.loadBalancerArn()))) {
            actions.add(new Action.SetEndpointServiceLoadBalancer(service.serviceId(), nlb.loadBalancerArn(),
                    sorted(minus(service.loadBalancerArns(), Set.of(nlb.loadBalancerArn()))),
                    "the endpoint service must front exactly the link's NLB", Reason.ENDPOINT_SERVICE_LOAD_BALANCER_DRIFT));
        }
        Set<String> add = minus(allowed, service.allowedPrincipals());
        Set<String> remove = minus(service.allowedPrincipals(), allowed);
        if (!add.isEmpty() || !remove.isEmpty()) {
            actions.add(new Action.SetAllowedPrincipals(service.serviceId(), sorted(add), sorted(remove),
                    remove.isEmpty() ? "allowed principals are missing" : "allowed principals were widened beyond the spec",
                    remove.isEmpty() ? Reason.PRINCIPALS_MISSING : Reason.PRINCIPALS_WIDENED));
        }
    }

    private static void planEndpointConnections(LinkSpec spec, ObservedState observed, boolean lockingDownInThisPlan, List<Action> actions) {
        Optional<EndpointServiceState> found = observed.privateLink().service();
        if (found.isEmpty()) {
            return;
        }
        EndpointServiceState service = found.get();
        Set<String> allowedAccounts = spec.aws().endpointService().allowedPrincipals().stream()
                .map(Planner::accountOf).collect(Collectors.toSet());
        List<String> accept = new ArrayList<>();
        List<String> reject = new ArrayList<>();
        for (EndpointConnection connection : observed.privateLink().connections()) {
            boolean allowedOwner = allowedAccounts.contains(connection.owner());
            if (connection.isPending() && allowedOwner) {
                accept.add(connection.vpcEndpointId());
            } else if (!allowedOwner && (connection.isPending() || EndpointConnection.AVAILABLE.equalsIgnoreCase(connection.state()))) {
                reject.add(connection.vpcEndpointId());
            }
        }
        batches(reject).forEach(ids -> actions.add(new Action.RejectConnections(service.serviceId(), ids,
                "endpoint owner is not an allowed principal", Reason.CONNECTION_STRANGER)));
        // Never accept while the service is open: either it is locked down, or this plan locks it down first.
        boolean lockedDown = service.acceptanceRequired()
                && service.allowedPrincipals().equals(spec.aws().endpointService().allowedPrincipals());
        if (lockedDown || lockingDownInThisPlan) {
            batches(accept).forEach(ids -> actions.add(new Action.AcceptConnections(service.serviceId(), ids,
                    "endpoint owner is an allowed principal", Reason.CONNECTION_ALLOWED)));
        }
    }

    /** The account id of an IAM principal ARN ({@code arn:aws:iam::123456789012:root}) or of a bare account id. */
    static String accountOf(String principal) {
        String[] parts = principal.split(":");
        return parts.length >= 5 ? parts[4] : principal;
    }

    // --- NLB ---

    private static void planLoadBalancer(LinkSpec spec, ObservedState observed, List<Action> actions) {
        LinkSpec.Nlb nlb = spec.aws().nlb();
        int port = spec.relay().port();
        boolean haveRight = false;
        for (ListenerState listener : observed.loadBalancer().listeners().stream().sorted(java.util.Comparator.comparing(ListenerState::listenerArn)).toList()) {
            boolean right = !haveRight && listener.port() == port && "TCP".equalsIgnoreCase(listener.protocol())
                    && nlb.targetGroupArn().equals(listener.targetGroupArn());
            if (right) {
                haveRight = true;
            } else {
                actions.add(new Action.DeleteListener(listener.listenerArn(),
                        "only one TCP " + port + " listener forwarding to the gateway target group may exist", Reason.LISTENER_DRIFT));
            }
        }
        if (!haveRight) {
            actions.add(new Action.CreateListener(nlb.loadBalancerArn(), port, nlb.targetGroupArn(),
                    "the TCP " + port + " passthrough listener is missing", Reason.LISTENER_MISSING));
        }
        if (nlb.targets() == LinkSpec.Targets.CONTROLLER) {
            planTargetGroupBinding(spec, observed, actions); // the controller registers and deregisters: relay-link never does
        } else {
            planOwnTargets(nlb, observed, actions);
        }
        // An NLB created without security groups can never get one: only a changed set is repaired.
        Set<String> groups = observed.loadBalancer().securityGroups();
        if (!groups.isEmpty() && !groups.equals(Set.of(nlb.securityGroupId()))) {
            actions.add(new Action.SetLoadBalancerSecurityGroups(nlb.loadBalancerArn(), Set.of(nlb.securityGroupId()),
                    "the NLB must have exactly the link's security group, not " + new TreeSet<>(groups), Reason.SECURITY_GROUPS_DRIFT));
        }
        Set<IngressRule> wanted = nlb.allowedSourceCidrs().stream().map(cidr -> new IngressRule("tcp", port, cidr)).collect(Collectors.toSet());
        Set<IngressRule> extra = minus(observed.loadBalancer().securityGroupRules(), wanted);
        if (!extra.isEmpty()) {
            actions.add(new Action.RevokeIngress(nlb.securityGroupId(), new TreeSet<>(extra), "ingress wider than the spec", Reason.INGRESS_WIDENED));
        }
        Set<IngressRule> absent = minus(wanted, observed.loadBalancer().securityGroupRules());
        if (!absent.isEmpty()) {
            actions.add(new Action.AuthorizeIngress(nlb.securityGroupId(), new TreeSet<>(absent), "ingress from the transit endpoints is missing", Reason.INGRESS_MISSING));
        }
    }

    /** relay-link registers the ready gateway endpoints itself (for clusters without the Load Balancer Controller). */
    private static void planOwnTargets(LinkSpec.Nlb nlb, ObservedState observed, List<Action> actions) {
        Set<Target> desired = observed.loadBalancer().gatewayEndpoints();
        Set<Target> registered = observed.loadBalancer().registeredTargets();
        Set<Target> missing = minus(desired, registered);
        if (!missing.isEmpty()) {
            actions.add(new Action.RegisterTargets(nlb.targetGroupArn(), new TreeSet<>(missing), "ready gateway endpoints are not registered", Reason.TARGETS_MISSING));
        }
        // With no ready gateway endpoint observed, keep what is registered: deregistering everything cannot help.
        Set<Target> stale = minus(registered, desired);
        if (!stale.isEmpty() && !desired.isEmpty()) {
            actions.add(new Action.DeregisterTargets(nlb.targetGroupArn(), new TreeSet<>(stale), "targets are not ready gateway endpoints", Reason.TARGETS_DRIFT));
        }
    }

    /**
     * The TargetGroupBinding the spec asks for: the link's target group, ip targets, the gateway Service
     * and its port, and ingress to the pods from the NLB's security group only.
     */
    public static dev.relaylink.state.TargetGroupBinding targetGroupBinding(LinkSpec spec) {
        LinkSpec.Relay relay = spec.relay();
        return new dev.relaylink.state.TargetGroupBinding(relay.namespace(), spec.targetGroupBindingName(), spec.aws().nlb().targetGroupArn(),
                dev.relaylink.state.TargetGroupBinding.IP, relay.gatewayService(), relay.port(), List.of(spec.aws().nlb().securityGroupId()), List.of());
    }

    private static void planTargetGroupBinding(LinkSpec spec, ObservedState observed, List<Action> actions) {
        dev.relaylink.state.TargetGroupBinding wanted = targetGroupBinding(spec);
        List<String> wrong = new ArrayList<>();
        observed.loadBalancer().targetGroupBinding().ifPresentOrElse(found -> {
            if (!found.targetGroupArn().equals(wanted.targetGroupArn())) {
                wrong.add("it binds target group " + found.targetGroupArn() + ", not " + wanted.targetGroupArn());
            }
            if (!found.targetType().equals(wanted.targetType())) {
                wrong.add("targetType is " + found.targetType() + ", not " + wanted.targetType());
            }
            if (!found.serviceName().equals(wanted.serviceName()) || found.servicePort() != wanted.servicePort()) {
                wrong.add("serviceRef is " + found.serviceName() + ":" + found.servicePort() + ", not " + wanted.serviceName() + ":" + wanted.servicePort());
            }
            if (!found.ingressFromSecurityGroups().equals(wanted.ingressFromSecurityGroups())) {
                wrong.add("pod ingress is from " + found.ingressFromSecurityGroups() + ", not " + wanted.ingressFromSecurityGroups());
            }
            if (!found.otherSettings().isEmpty()) {
                wrong.add("settings relay-link does not write were added: " + found.otherSettings());
            }
        }, () -> wrong.add("the TargetGroupBinding does not exist"));
        if (!wrong.isEmpty()) {
            actions.add(new Action.WriteTargetGroupBinding(wanted, String.join("; ", wrong), observed.loadBalancer().targetGroupBinding().isEmpty()
                    ? Reason.TARGET_GROUP_BINDING_MISSING : Reason.TARGET_GROUP_BINDING_DRIFT));
        }
    }

    // --- certificates ---

    private static boolean planServerCertificate(LinkSpec spec, ObservedState observed, Instant now, String issuingCa, List<Action> actions) {
        String host = spec.relay().hostName();
        CertificateRules.Subject subject = new CertificateRules.Subject("no server certificate exists",
                leaf -> Certificates.dnsNames(leaf).equals(List.of(host)) ? null : "its DNS SAN is not " + host);
        Optional<CertificateRules.Replacement> why = CertificateRules.replacement(new CertificateRules.Input(
                observed.certificates().serverCertificate(), observed.certificates().serverCas(), issuingCa, spec.certificates().server(), now, subject));
        why.ifPresent(replace -> actions.add(new Action.RotateServerCertificate(host, replace.message(), replace.code())));
        return why.isPresent();
    }

    /** The workloads whose client certificate must be (re)issued, in workload order, each with the reason. */
    private static java.util.Map<SpiffeId, CertificateRules.Replacement> clientsToRotate(LinkSpec spec, ObservedState observed, Instant now,
                                                                                       String issuingCa) {
        java.util.Map<SpiffeId, CertificateRules.Replacement> rotating = new java.util.LinkedHashMap<>();
        for (Workload workload : sortedWorkloads(spec)) {
            SpiffeId id = workload.spiffeId(spec.trustDomain());
            CertificateRules.Subject subject = new CertificateRules.Subject("the workload has no client certificate",
                    leaf -> Certificates.spiffeId(leaf).filter(id::equals).isPresent() ? null : "its URI SAN is not " + id);
            CertificateRules.replacement(new CertificateRules.Input(Optional.ofNullable(observed.certificates().clientCertificates().get(id)),
                            observed.certificates().clientCas(), issuingCa, spec.certificates().client(), now, subject))
                    .ifPresent(why -> rotating.put(id, why));
        }
        return rotating;
    }

    // --- CA generations (the overlap protocol) ---

    /** What the CA steps of a plan leave behind: the issuing CA's fingerprint afterwards, and whether the published list changes. */
    private record CaOutcome(String issuingAfter, boolean listChanges) {
        static final CaOutcome NONE = new CaOutcome(null, false);
    }

    /**
     * The owner's steps of the overlap protocol for one side's CA generations (only with
     * {@code planning}; otherwise just the issuing CA), each safe to crash after (the next run
     * re-plans from what it observes):
     * <ol>
     *   <li>the issuing CA is due by {@code certificates.ca.renewBefore}: create the next generation
     *       (trusted, not issuing), unless a previous one is still trusted (never more than two);</li>
     *   <li>its publication into every bundle is planned by the trust exchange and bundle steps;</li>
     *   <li>switch issuing to it only once the other cloud confirmed every consumer's bundle holds it
     *       ({@code confirmed}: the server CAs in the workloads' bundles, the client CAs in the gateway's);</li>
     *   <li>the leaves of the old CA are then re-issued by {@link CertificateRules#ISSUER_SUPERSEDED};</li>
     *   <li>a previous generation is retired when it expired: no leaf outlives its CA, so its last leaf expired too.</li>
     * </ol>
     */
    private static CaOutcome planCaGenerations(CaSide side, List<X509Certificate> cas, Optional<List<X509Certificate>> confirmed,
                                               RenewalPolicy policy, Instant now, boolean planning, List<Action> actions) {
        String what = side.name().toLowerCase(java.util.Locale.ROOT) + " CA";
        CaGenerations.Generation issuing = CaGenerations.issuing(cas).orElseThrow();
        if (!planning) {
            return new CaOutcome(issuing.fingerprint(), false);
        }
        Optional<CaGenerations.Generation> next = CaGenerations.next(cas);
        boolean changes = false;
        int trusted = cas.size();
        for (CaGenerations.Generation old : CaGenerations.previous(cas)) {
            if (!now.isBefore(old.notAfter())) {
                actions.add(new Action.RetireCa(side, old.fingerprint(),
                        "the previous " + what + " expired at " + old.notAfter() + ": no leaf it signed is still valid", Reason.PREVIOUS_CA_EXPIRED));
                changes = true;
                trusted--;
            }
        }
        String issuingAfter = issuing.fingerprint();
        if (next.isEmpty()) {
            if (policy.isDue(issuing.certificate(), now) && trusted < 2) {
                actions.add(new Action.CreateCa(side, "the issuing " + what + " is due for renewal since "
                        + policy.renewAt(issuing.certificate()) + " (expires " + issuing.notAfter() + "): create the next generation", Reason.CA_RENEWAL_DUE));
                changes = true;
            }
        } else if (confirmed.isPresent() && CaGenerations.find(confirmed.get(), next.get().certificate()).isPresent()) {
            actions.add(new Action.StartIssuing(side, next.get().fingerprint(), "the next " + what
                    + " is in every consumer's bundle, as the " + (side == CaSide.SERVER ? "Azure" : "AWS") + " side confirmed", Reason.NEXT_CA_CONFIRMED));
            issuingAfter = next.get().fingerprint();
            changes = true;
        }
        return new CaOutcome(issuingAfter, changes);
    }

    // --- trust exchange ---

    /**
     * Publishes the client CAs to AWS when its copy differs (or the CA is created in this plan) and
     * mirrors AWS's server CAs when the local copy differs; returns whether it mirrors. An empty
     * list never crosses: before a side's first bootstrap there is nothing to send.
     */
    private static boolean planTrustExchange(ObservedState observed, boolean creatingClientCa, boolean clientCasChange, List<Action> actions) {
        if (creatingClientCa) {
            actions.add(new Action.PublishClientCas("the client CA was just created", Reason.CA_CREATED));
        } else if (clientCasChange) {
            actions.add(new Action.PublishClientCas("the client CA generations change in this plan", Reason.CA_GENERATIONS_CHANGE));
        } else if (!observed.certificates().clientCas().isEmpty() && !observed.certificates().clientCas().equals(observed.trustExchange().clientCasInAws())) {
            boolean none = observed.trustExchange().clientCasInAws().isEmpty();
            actions.add(new Action.PublishClientCas(none
                    ? "the AWS side has no client CA certificates yet" : "the AWS side's client CA certificates differ from the client CAs",
                    none ? Reason.CA_COPY_MISSING : Reason.CA_COPY_DRIFT));
        }
        boolean mirroring = !observed.trustExchange().serverCasInAws().isEmpty() && !observed.trustExchange().serverCasInAws().equals(observed.certificates().serverCas());
        if (mirroring) {
            boolean none = observed.certificates().serverCas().isEmpty();
            actions.add(new Action.MirrorServerCas(none
                    ? "the server CA certificates are not mirrored yet" : "the mirrored server CA certificates differ from the AWS side's",
                    none ? Reason.CA_COPY_MISSING : Reason.CA_COPY_DRIFT));
        }
        return mirroring;
    }

    /**
     * Publishes a new revocation list when the one the AWS side reads is missing, lists other
     * certificates than those replaced before their time, is not the current client CA's, or has
     * less than half of its validity left (an expired list would make the gateway refuse everyone).
     */
    private static void planRevocationList(LinkSpec spec, ObservedState observed, boolean creatingClientCa, Set<SpiffeId> rotating,
                                           Instant now, List<Action> actions) {
        if (!creatingClientCa && observed.certificates().clientCas().isEmpty()) {
            return;
        }
        java.security.cert.X509Certificate ca = creatingClientCa ? null : observed.certificates().clientCas().get(0);
        // Each workload's versions, with the replacement this plan makes (now) for those it rotates.
        List<List<X509Certificate>> history = new ArrayList<>();
        observed.revocations().clientCertificateVersions().forEach((id, versions) -> history.add(versions));
        List<X509Certificate> replacedNow = new ArrayList<>();
        for (SpiffeId id : rotating) {
            List<X509Certificate> chain = observed.certificates().clientCertificates().get(id);
            if (chain != null && !chain.isEmpty() && now.isBefore(spec.certificates().client().renewAt(chain.get(0)))) {
                replacedNow.add(chain.get(0));
            }
        }
        Set<X509Certificate> listed0 = new java.util.LinkedHashSet<>(Revocations.replacedEarly(history, spec.certificates().client(), now));
        replacedNow.stream().filter(leaf -> now.isBefore(leaf.getNotAfter().toInstant())).forEach(listed0::add);
        List<X509Certificate> revoked = listed0.stream()
                .filter(leaf -> ca != null && leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal()))
                .sorted(java.util.Comparator.comparing(X509Certificate::getSerialNumber)).toList();
        String why = null;
        Reason code = null;
        if (creatingClientCa || observed.revocations().publishedCrl().isEmpty()) {
            why = "the AWS side has no revocation list of the client CA yet";
            code = Reason.REVOCATION_LIST_MISSING;
        } else {
            java.security.cert.X509CRL published;
            try {
                published = Pem.readRevocationList(observed.revocations().publishedCrl().get());
            } catch (PkiException e) {
                published = null;
            }
            Set<java.math.BigInteger> listed = new TreeSet<>();
            if (published != null && published.getRevokedCertificates() != null) {
                published.getRevokedCertificates().forEach(entry -> listed.add(entry.getSerialNumber()));
            }
            Set<java.math.BigInteger> wanted = revoked.stream().map(X509Certificate::getSerialNumber).collect(Collectors.toCollection(TreeSet::new));
            if (published == null) {
                why = "the published revocation list does not parse";
                code = Reason.REVOCATION_LIST_UNREADABLE;
            } else if (!published.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                why = "the published revocation list is not the current client CA's";
                code = Reason.REVOCATION_LIST_WRONG_ISSUER;
            } else if (!listed.equals(wanted)) {
                why = "the certificates replaced before their time changed: " + hex(wanted) + " instead of " + hex(listed);
                code = Reason.REVOKED_EARLY;
            } else if (published.getNextUpdate() == null
                    || now.plus(CRL_VALIDITY.dividedBy(2)).isAfter(published.getNextUpdate().toInstant())) {
                why = "the published revocation list expires at " + (published.getNextUpdate() == null ? "?" : published.getNextUpdate().toInstant());
                code = Reason.REVOCATION_LIST_EXPIRING;
            }
        }
        if (why != null) {
            actions.add(new Action.PublishRevocationList(revoked, why, code));
        }
    }

    private static List<String> hex(Set<java.math.BigInteger> serials) {
        return serials.stream().map(serial -> serial.toString(16)).toList();
    }

    // --- cluster secrets ---

    private static void planGatewayTrust(LinkSpec spec, ObservedState observed, boolean creatingClientCa, List<Action> actions) {
        LinkSpec.Relay relay = spec.relay();
        if (creatingClientCa) {
            actions.add(new Action.WriteGatewayClientCaBundle(relay.namespace(), relay.clientCaSecret(), "the client CA was just created", Reason.CA_CREATED));
        } else if (!observed.certificates().clientCas().isEmpty()) {
            String bundle = TrustBundle.of(observed.certificates().clientCas()).pem();
            if (!hasValue(observed.secrets().eks().get(relay.namespace() + "/" + relay.clientCaSecret()), "ca.crt", bundle)) {
                actions.add(new Action.WriteGatewayClientCaBundle(relay.namespace(), relay.clientCaSecret(),
                        "the gateway's client CA bundle differs from the client CAs", Reason.CA_COPY_DRIFT));
            }
        }
        // The revocation list the Azure side published, copied for the gateway before the policy references it.
        boolean writingCrl = false;
        Optional<String> crl = observed.revocations().publishedCrl();
        boolean publishing = actions.stream().anyMatch(a -> a instanceof Action.PublishRevocationList);
        if (publishing || crl.isPresent() && !hasValue(observed.secrets().eks().get(relay.namespace() + "/" + relay.crlSecret()), "ca.crl", crl.get())) {
            boolean hasCrl = observed.secrets().eks().containsKey(relay.namespace() + "/" + relay.crlSecret());
            actions.add(new Action.WriteGatewayRevocationList(relay.namespace(), relay.crlSecret(),
                    hasCrl ? "the gateway's revocation list differs from the published one" : "the gateway has no revocation list yet",
                    hasCrl ? Reason.REVOCATION_LIST_DRIFT : Reason.REVOCATION_LIST_MISSING));
            writingCrl = true;
        }
        GatewayClientPolicy wanted = gatewayClientPolicy(spec, observed, writingCrl);
        Optional<GatewayClientPolicy> found = observed.clusterPolicies().gatewayClientPolicy();
        List<String> wrong = found.map(policy -> gatewayPolicyProblems(wanted, policy)).orElse(List.of("the ClientTrafficPolicy does not exist"));
        if (!wrong.isEmpty()) {
            actions.add(new Action.WriteGatewayClientPolicy(wanted, String.join("; ", wrong), found.isEmpty() ? Reason.POLICY_MISSING : Reason.POLICY_DRIFT));
        }
    }

    /**
     * The ClientTrafficPolicy the spec asks for: TLS 1.3 at least, a verified client certificate from
     * the client CA bundle, and one Exact URI SAN matcher per workload, sorted so that equal specs
     * write equal bytes. The CRL is referenced once its Secret exists: a reference to a missing
     * Secret makes Envoy Gateway refuse the whole policy.
     */
    public static GatewayClientPolicy gatewayClientPolicy(LinkSpec spec, ObservedState observed, boolean writingCrl) {
        LinkSpec.Relay relay = spec.relay();
        List<String> uris = spec.allowedSpiffeIds().stream().map(SpiffeId::toString).sorted().map(GatewayClientPolicy::exactUri).toList();
        boolean crlPublished = writingCrl || observed.secrets().eks().containsKey(relay.namespace() + "/" + relay.crlSecret());
        return new GatewayClientPolicy(relay.namespace(), relay.clientTrafficPolicy(),
                List.of(GatewayClientPolicy.target(relay.gateway(), relay.listener())), GatewayClientPolicy.MIN_VERSION,
                GatewayClientPolicy.REQUIRE_AND_VERIFY, List.of(GatewayClientPolicy.secretRef(relay.namespace(), relay.clientCaSecret())),
                crlPublished ? List.of(GatewayClientPolicy.secretRef(relay.namespace(), relay.crlSecret())) : List.of(), uris, List.of());
    }

    /** What is wrong with the policy found, in words for the audit log; empty when it is the wanted one. */
    private static List<String> gatewayPolicyProblems(GatewayClientPolicy wanted, GatewayClientPolicy found) {
        List<String> wrong = new ArrayList<>();
        if (!wanted.targets().equals(found.targets())) {
            wrong.add("it targets " + found.targets() + " instead of " + wanted.targets());
        }
        if (!wanted.minVersion().equals(found.minVersion())) {
            wrong.add("minVersion is " + found.minVersion() + ", not " + wanted.minVersion());
        }
        if (!wanted.mode().equals(found.mode())) {
            wrong.add("clientValidation.mode is " + found.mode() + ", not " + wanted.mode());
        }
        if (!wanted.caCertificateRefs().equals(found.caCertificateRefs())) {
            wrong.add("caCertificateRefs point at " + found.caCertificateRefs() + ", not " + wanted.caCertificateRefs());
        }
        if (!wanted.crlRefs().equals(found.crlRefs())) {
            wrong.add("crl.refs are " + found.crlRefs() + ", not " + wanted.crlRefs());
        }
        if (!wanted.subjectAltNameUris().equals(found.subjectAltNameUris())) {
            List<String> extra = found.subjectAltNameUris().stream().filter(m -> !wanted.subjectAltNameUris().contains(m)).toList();
            List<String> missing = wanted.subjectAltNameUris().stream().filter(m -> !found.subjectAltNameUris().contains(m)).toList();
            wrong.add("SAN matchers differ from the spec's workloads" + (extra.isEmpty() ? "" : ", not in the spec: " + extra)
                    + (missing.isEmpty() ? "" : ", missing: " + missing) + (extra.isEmpty() && missing.isEmpty() ? " (order)" : ""));
        }
        if (!found.otherSettings().isEmpty()) {
            wrong.add("settings relay-link does not write were added: " + found.otherSettings());
        }
        return wrong;
    }

    /**
     * Confirms to the Azure side which client CAs the gateway's bundle holds, once it holds them: as
     * observed, or as this plan writes it (the step checks the bundle again before it confirms).
     */
    private static void planGatewayAcknowledgement(LinkSpec spec, ObservedState observed, boolean creatingClientCa, List<Action> actions) {
        Optional<List<X509Certificate>> confirmed = observed.acknowledged().clientCasInGateway();
        if (confirmed.isEmpty() || (observed.certificates().clientCas().isEmpty() && !creatingClientCa)) {
            return;
        }
        LinkSpec.Relay relay = spec.relay();
        TrustBundle bundle = TrustBundle.of(observed.certificates().clientCas());
        boolean holds = actions.stream().anyMatch(a -> a instanceof Action.WriteGatewayClientCaBundle)
                || hasValue(observed.secrets().eks().get(relay.namespace() + "/" + relay.clientCaSecret()), "ca.crt", bundle.pem());
        if (holds && (creatingClientCa || !TrustBundle.of(confirmed.get()).equals(bundle))) {
            actions.add(new Action.AcknowledgeGatewayClientCas("the gateway's client CA bundle holds client CAs the confirmation does not name yet",
                    Reason.BUNDLE_UNCONFIRMED));
        }
    }

    private static void planGatewayTlsSecret(LinkSpec spec, ObservedState observed, Optional<PendingServerCertificate> rotation,
                                             List<Action> actions) {
        LinkSpec.Relay relay = spec.relay();
        if (observed.certificates().serverCertificate().isPresent()) {
            String fingerprint = Certificates.fingerprint(observed.certificates().serverCertificate().get().get(0));
            SecretState secret = observed.secrets().eks().get(relay.namespace() + "/" + relay.tlsSecret());
            boolean servesTheRotation = secret != null && rotation.filter(r -> r.fingerprint().equals(secret.certificateFingerprint())).isPresent();
            if (!servesTheRotation && (secret == null || !fingerprint.equals(secret.certificateFingerprint()))) {
                actions.add(new Action.WriteGatewayTlsSecret(relay.namespace(), relay.tlsSecret(),
                        "the gateway serves a different certificate than the current server certificate", Reason.SERVED_CERTIFICATE_DRIFT));
            }
        }
    }

    private static void planAksSecrets(LinkSpec spec, ObservedState observed, List<X509Certificate> serverCas, Set<SpiffeId> rotatingClients,
                                       List<Action> actions) {
        String serverBundle = serverCas.isEmpty() ? null : TrustBundle.of(serverCas).pem();
        for (Workload workload : sortedWorkloads(spec)) {
            SpiffeId id = workload.spiffeId(spec.trustDomain());
            List<X509Certificate> chain = observed.certificates().clientCertificates().get(id);
            if (rotatingClients.contains(id) || chain == null || chain.isEmpty()) {
                continue; // the rotation writes the secret
            }
            SecretState secret = observed.secrets().aks().get(workload.namespace() + "/" + workload.secretName());
            boolean certMatches = secret != null && Certificates.fingerprint(chain.get(0)).equals(secret.certificateFingerprint());
            boolean bundleMatches = serverBundle == null || hasValue(secret, "ca.crt", serverBundle);
            if (!certMatches || !bundleMatches) {
                actions.add(new Action.WriteWorkloadSecret(id, workload.namespace(), workload.secretName(),
                        !certMatches ? "the workload's secret holds another certificate than Key Vault's current one"
                                : "the workload's server CA bundle differs from the server CAs",
                        !certMatches ? Reason.WORKLOAD_CERTIFICATE_DRIFT : Reason.CA_COPY_DRIFT));
            }
        }
    }

    /**
     * Confirms to the AWS side which server CAs every workload's bundle holds, once each workload's
     * AKS secret holds them: as observed, or as this plan writes it (the step checks every secret again).
     */
    private static void planWorkloadAcknowledgement(LinkSpec spec, ObservedState observed, List<X509Certificate> serverCas,
                                                    boolean creatingServerCa, List<Action> actions) {
        Optional<List<X509Certificate>> confirmed = observed.acknowledged().serverCasInWorkloads();
        if (confirmed.isEmpty() || (serverCas.isEmpty() && !creatingServerCa)) {
            return;
        }
        TrustBundle bundle = TrustBundle.of(serverCas);
        Set<SpiffeId> written = new java.util.HashSet<>();
        for (Action action : actions) {
            if (action instanceof Action.WriteWorkloadSecret write) {
                written.add(write.workload());
            } else if (action instanceof Action.RotateClientCertificate rotate) {
                written.add(rotate.workload());
            }
        }
        boolean everywhere = spec.workloads().stream()
                .allMatch(w -> written.contains(w.spiffeId(spec.trustDomain()))
                        || hasValue(observed.secrets().aks().get(w.namespace() + "/" + w.secretName()), "ca.crt", bundle.pem()));
        if (everywhere && (creatingServerCa || !TrustBundle.of(confirmed.get()).equals(bundle))) {
            actions.add(new Action.AcknowledgeWorkloadServerCas("every workload's server CA bundle holds server CAs the confirmation does not name yet",
                    Reason.BUNDLE_UNCONFIRMED));
        }
    }

    // --- Azure Private Link Service and DNS ---

    private static void planPrivateEndpoints(LinkSpec spec, ObservedState observed, List<Action> actions) {
        for (PrivateEndpointConnection connection : sortedConnections(observed)) {
            boolean allowed = isAllowedRequester(spec, connection);
            if (allowed && connection.is(PrivateEndpointConnection.PENDING)) {
                actions.add(new Action.ApprovePrivateEndpoint(connection.name(), "requested from an allowed subscription and VNet", Reason.PRIVATE_ENDPOINT_ALLOWED));
            } else if (!allowed && (connection.is(PrivateEndpointConnection.PENDING) || connection.is(PrivateEndpointConnection.APPROVED))) {
                actions.add(new Action.RejectPrivateEndpoint(connection.name(), rejectionReason(spec, connection),
                        isAllowedSubscription(spec, connection.subscriptionId()) ? Reason.VNET_NOT_ALLOWED : Reason.SUBSCRIPTION_NOT_ALLOWED));
            }
        }
    }

    private static void planPrivateDns(LinkSpec spec, ObservedState observed, boolean approvingInThisPlan, List<Action> actions) {
        Set<String> wanted = publishedIps(spec, observed, approvingInThisPlan);
        if (!wanted.equals(observed.azureNetwork().dnsRecordIps())) {
            LinkSpec.PrivateDns dns = spec.azure().privateDns();
            actions.add(new Action.SetDnsRecord(dns.zone(), dns.recordName(), wanted,
                    wanted.isEmpty() ? "no approved private endpoint remains" : "the relay host must resolve to the approved private endpoints", Reason.DNS_DRIFT));
        }
    }

    /** The private IPs of the allowed, approved (or being approved) private endpoints: what the DNS record must hold. */
    private static Set<String> publishedIps(LinkSpec spec, ObservedState observed, boolean approvingInThisPlan) {
        Set<String> wanted = new TreeSet<>();
        for (PrivateEndpointConnection connection : observed.azureNetwork().privateEndpoints()) {
            boolean willBeApproved = connection.is(PrivateEndpointConnection.APPROVED)
                    || (approvingInThisPlan && connection.is(PrivateEndpointConnection.PENDING));
            if (willBeApproved && isAllowedRequester(spec, connection) && connection.privateIp() != null && !connection.privateIp().isBlank()) {
                wanted.add(connection.privateIp());
            }
        }
        return wanted;
    }

    // --- AKS egress ---

    /**
     * One NetworkPolicy per workload: its pods may reach only the published private endpoint IPs on
     * the relay port, and the cluster DNS. With no approved endpoint it allows DNS only: never wider.
     */
    private static void planWorkloadEgress(LinkSpec spec, ObservedState observed, Set<String> relayIps, List<Action> actions) {
        for (Workload workload : sortedWorkloads(spec)) {
            WorkloadEgressPolicy wanted = new WorkloadEgressPolicy(workload.namespace(), workload.networkPolicyName(), workload.podSelector(),
                    relayIps, relayIps.isEmpty() ? 0 : spec.relay().port(), true, List.of());
            WorkloadEgressPolicy found = observed.clusterPolicies().workloadEgress().get(wanted.key());
            List<String> wrong = new ArrayList<>();
            if (found == null) {
                wrong.add("the workload's egress NetworkPolicy does not exist");
            } else {
                if (!found.podSelector().equals(wanted.podSelector())) {
                    wrong.add("it selects pods " + found.podSelector() + ", not " + wanted.podSelector());
                }
                if (!found.relayIps().equals(wanted.relayIps()) || found.relayPort() != wanted.relayPort()) {
                    wrong.add("it allows " + found.relayIps() + " port " + found.relayPort() + ", the approved private endpoint is "
                            + wanted.relayIps() + " port " + wanted.relayPort());
                }
                if (!found.clusterDns()) {
                    wrong.add("it does not allow the cluster DNS");
                }
                if (!found.otherRules().isEmpty()) {
                    wrong.add("rules relay-link does not write were added: " + found.otherRules());
                }
            }
            if (!wrong.isEmpty()) {
                actions.add(new Action.WriteWorkloadEgressPolicy(wanted, String.join("; ", wrong), found == null ? Reason.POLICY_MISSING : Reason.POLICY_DRIFT));
            }
        }
    }

    public static boolean isAllowedRequester(LinkSpec spec, PrivateEndpointConnection connection) {
        return isAllowedSubscription(spec, connection.subscriptionId())
                && connection.vnetId() != null && spec.azure().allowedVnets().stream().anyMatch(v -> v.equalsIgnoreCase(connection.vnetId()));
    }

    private static boolean isAllowedSubscription(LinkSpec spec, String subscriptionId) {
        return subscriptionId != null && spec.azure().allowedSubscriptions().stream().anyMatch(s -> s.equalsIgnoreCase(subscriptionId));
    }

    private static String rejectionReason(LinkSpec spec, PrivateEndpointConnection connection) {
        if (!isAllowedSubscription(spec, connection.subscriptionId())) {
            return "subscription " + connection.subscriptionId() + " is not allowed";
        }
        return "VNet " + connection.vnetId() + " is not allowed";
    }

    // --- helpers ---

    private static boolean hasValue(SecretState state, String key, String value) {
        return state != null && SecretState.sha256Hex(value).equals(state.sha256ByKey().get(key));
    }

    private static List<Workload> sortedWorkloads(LinkSpec spec) {
        return spec.workloads().stream().sorted(java.util.Comparator.comparing((Workload w) -> w.namespace()).thenComparing(Workload::serviceAccount)).toList();
    }

    private static List<PrivateEndpointConnection> sortedConnections(ObservedState observed) {
        return observed.azureNetwork().privateEndpoints().stream().sorted(java.util.Comparator.comparing(PrivateEndpointConnection::name)).toList();
    }

    private static List<List<String>> batches(List<String> ids) {
        List<String> sortedIds = ids.stream().sorted().toList();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < sortedIds.size(); i += CONNECTION_BATCH) {
            batches.add(sortedIds.subList(i, Math.min(sortedIds.size(), i + CONNECTION_BATCH)));
        }
        return batches;
    }

    private static <T> Set<T> minus(Set<T> a, Set<T> b) {
        Set<T> result = new java.util.HashSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static Set<String> sorted(Set<String> values) {
        return new TreeSet<>(values);
    }
}
