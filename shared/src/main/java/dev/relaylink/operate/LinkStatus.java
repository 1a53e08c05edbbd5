package dev.relaylink.operate;

import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.port.DeadLetters.QueueDepth;
import dev.relaylink.port.HandledEvents.HandledEvent;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.EndpointConnection;
import dev.relaylink.state.ObservedState;
import dev.relaylink.state.PrivateEndpointConnection;
import dev.relaylink.state.SecretState;
import dev.relaylink.state.Target;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole link on one page, as plain records (the JSON form is exactly this tree): built from
 * what each side observed, the plan each side would run, and what each side remembers of its
 * events and dead letters. {@link #tables()} is the same content as titled tables, for the text
 * and HTML pages. {@code endpointService} is null when there is none (or the AWS side was not observed). New parts of the link become new components at the end and new tables.
 */
public record LinkStatus(
        String link,
        Instant observedAt,
        List<String> sides,
        EndpointService endpointService,
        List<Connection> endpointConnections,
        LoadBalancer loadBalancer,
        List<TrustObject> trustObjects,
        List<CertificateRow> certificates,
        List<CaRow> cas,
        List<PrivateEndpoint> privateEndpoints,
        Dns dns,
        List<EventRow> lastEvents,
        List<DeadLetterRow> deadLetters,
        List<LinkPreview.PlannedAction> pendingActions,
        GatewayPolicyRow gatewayPolicy,
        RevocationListRow revocationList,
        List<NetworkPolicyRow> networkPolicies) {

    public static final int EVENTS_PER_SIDE = 10;

    public record EndpointService(String serviceId, String serviceName, boolean acceptanceRequired, Set<String> allowedPrincipals,
                                  Set<String> loadBalancers) {
    }

    /** {@code allowed}: the owner account is one of the spec's principals. */
    public record Connection(String vpcEndpointId, String owner, String state, boolean allowed) {
    }

    public record Listener(String listenerArn, int port, String protocol, String targetGroupArn) {
    }

    /** A target the NLB should or does hold: registered in the target group, and a ready gateway pod in EKS. */
    public record TargetRow(String target, boolean registered, boolean readyInEks) {
    }

    public record LoadBalancer(String loadBalancerArn, List<Listener> listeners, List<TargetRow> targets, Set<String> securityGroups,
                               List<String> ingressRules) {
    }

    /** A Secret or ConfigMap relay-link keeps in a cluster, and whether it holds what the link's current state says. */
    public record TrustObject(String cluster, String kind, String name, boolean present, String state) {
    }

    public record CertificateRow(String role, String subject, String issuer, String serial, Instant notAfter, long daysLeft,
                                 Instant renewAt, boolean due) {
    }

    /** A CA certificate and every place a copy of it was seen (its side's own store and the other side's copy). */
    public record CaRow(String ca, String subject, String serial, Instant notAfter, long daysLeft, List<String> copies, String generation) {
    }

    /** The gateway's ClientTrafficPolicy as EKS holds it; {@code present} false when it is missing (the rest then empty). */
    public record GatewayPolicyRow(String name, boolean present, String minVersion, String mode, int sanMatchers, List<String> caRefs,
                                   List<String> crlRefs, List<String> otherSettings) {
    }

    /**
     * The client CA's revocation list as published to AWS ({@code published} false when there is none), and whether the
     * gateway's CRL Secret holds exactly it ({@code inGateway}; null when EKS was not observed).
     */
    public record RevocationListRow(boolean published, String issuer, Instant thisUpdate, Instant nextUpdate, List<String> revokedSerials,
                                    Boolean inGateway) {
    }

    /** A workload's egress NetworkPolicy in AKS: where it lets the pods go, and anything relay-link would remove. */
    public record NetworkPolicyRow(String name, boolean present, Set<String> relayIps, int relayPort, boolean clusterDns, List<String> otherRules) {
    }

    public record PrivateEndpoint(String name, String subscriptionId, String vnetId, String status, String privateIp, boolean allowed) {
    }

    public record Dns(String record, Set<String> ipv4, boolean observed) {
    }

    public record EventRow(String side, String eventId, String status, Instant at) {
    }

    public record DeadLetterRow(String side, String queue, String messages, String note) {
    }

    /** Titled rows of cells: what the text and HTML pages print. */
    public record Table(String title, List<String> columns, List<List<String>> rows) {
    }

    /**
     * Builds the status from each side's preview (the same observation a reconcile makes), and the
     * events and dead letters each side remembers.
     */
    public static LinkStatus of(LinkSpec spec, List<LinkSide> sides, List<LinkPreview.SidePreview> previews, Instant now) {
        ObservedState aws = observed(previews, LinkSide.AWS);
        ObservedState azure = observed(previews, LinkSide.AZURE);
        boolean awsSeen = has(previews, LinkSide.AWS);
        boolean azureSeen = has(previews, LinkSide.AZURE);

        Set<String> principals = spec.aws().endpointService().allowedPrincipals();
        var service = aws.privateLink().service().map(s -> new EndpointService(s.serviceId(), s.serviceName(), s.acceptanceRequired(),
                new TreeSet<>(s.allowedPrincipals()), new TreeSet<>(s.loadBalancerArns()))).orElse(null);
        List<Connection> connections = aws.privateLink().connections().stream()
                .map(c -> new Connection(c.vpcEndpointId(), c.owner(), c.state(), ownerAllowed(principals, c)))
                .toList();

        Set<Target> all = new TreeSet<>(aws.loadBalancer().registeredTargets());
        all.addAll(aws.loadBalancer().gatewayEndpoints());
        LoadBalancer lb = new LoadBalancer(spec.aws().nlb().loadBalancerArn(),
                aws.loadBalancer().listeners().stream().map(l -> new Listener(l.listenerArn(), l.port(), l.protocol(), l.targetGroupArn())).toList(),
                all.stream().map(t -> new TargetRow(t.toString(), aws.loadBalancer().registeredTargets().contains(t), aws.loadBalancer().gatewayEndpoints().contains(t))).toList(),
                new TreeSet<>(aws.loadBalancer().securityGroups()),
                aws.loadBalancer().securityGroupRules().stream().sorted().map(Object::toString).toList());

        List<TrustObject> trust = new ArrayList<>();
        if (awsSeen) {
            LinkSpec.Relay relay = spec.relay();
            trust.add(trustObject("eks", "Secret (gateway TLS)", relay.namespace(), relay.tlsSecret(), aws.secrets().eks(),
                    aws.certificates().serverCertificate().map(chain -> Certificates.fingerprint(chain.get(0)))));
            trust.add(trustObject("eks", "Secret (client CA bundle)", relay.namespace(), relay.clientCaSecret(), aws.secrets().eks(), Optional.empty()));
            trust.add(trustObject("eks", "Secret (client CA revocation list)", relay.namespace(), relay.crlSecret(), aws.secrets().eks(), Optional.empty()));
        }
        if (azureSeen) {
            for (LinkSpec.Workload workload : spec.workloads()) {
                List<X509Certificate> current = azure.certificates().clientCertificates().get(workload.spiffeId(spec.trustDomain()));
                trust.add(trustObject("aks", "Secret (workload TLS)", workload.namespace(), workload.secretName(), azure.secrets().aks(),
                        Optional.ofNullable(current).map(chain -> Certificates.fingerprint(chain.get(0)))));
            }
        }

        List<CertificateRow> certificates = new ArrayList<>();
        aws.certificates().serverCertificate().ifPresent(chain -> certificates.add(certificate("server " + spec.relay().hostName(), chain.get(0),
                spec.certificates().server(), now)));
        for (LinkSpec.Workload workload : spec.workloads()) {
            List<X509Certificate> chain = azure.certificates().clientCertificates().get(workload.spiffeId(spec.trustDomain()));
            if (chain != null) {
                certificates.add(certificate("client " + workload.namespace() + "/" + workload.serviceAccount(), chain.get(0),
                        spec.certificates().client(), now));
            }
        }

        List<CaRow> cas = new ArrayList<>();
        Map<String, X509Certificate> serverCas = new LinkedHashMap<>();
        Map<String, List<String>> serverCopies = new LinkedHashMap<>();
        collect(serverCas, serverCopies, aws.certificates().serverCas(), "aws Secrets Manager");
        if (!awsSeen) {
            collect(serverCas, serverCopies, azure.trustExchange().serverCasInAws(), "aws Secrets Manager");
        }
        collect(serverCas, serverCopies, azure.certificates().serverCas(), "azure Key Vault mirror");
        aws.acknowledged().serverCasInWorkloads().ifPresent(seen -> collect(serverCas, serverCopies, seen, "aks workload bundles (confirmed)"));
        azure.acknowledged().serverCasInWorkloads().ifPresent(seen -> collect(serverCas, serverCopies, seen, "aks workload bundles (confirmed)"));
        Map<String, String> serverStates = generations(awsSeen ? aws.certificates().serverCas() : azure.trustExchange().serverCasInAws());
        serverCas.forEach((fp, c) -> cas.add(ca("server", c, serverCopies.get(fp), serverStates.getOrDefault(fp, "not published"), now)));
        Map<String, X509Certificate> clientCas = new LinkedHashMap<>();
        Map<String, List<String>> clientCopies = new LinkedHashMap<>();
        collect(clientCas, clientCopies, azure.certificates().clientCas(), "azure Key Vault");
        collect(clientCas, clientCopies, aws.certificates().clientCas(), "aws Secrets Manager copy");
        if (!awsSeen) {
            collect(clientCas, clientCopies, azure.trustExchange().clientCasInAws(), "aws Secrets Manager copy");
        }
        aws.acknowledged().clientCasInGateway().ifPresent(seen -> collect(clientCas, clientCopies, seen, "eks gateway bundle"));
        azure.acknowledged().clientCasInGateway().ifPresent(seen -> collect(clientCas, clientCopies, seen, "eks gateway bundle (confirmed)"));
        Map<String, String> clientStates = generations(azureSeen ? azure.certificates().clientCas() : aws.certificates().clientCas());
        clientCas.forEach((fp, c) -> cas.add(ca("client", c, clientCopies.get(fp), clientStates.getOrDefault(fp, "not published"), now)));

        LinkSpec.Relay relay = spec.relay();
        GatewayPolicyRow gatewayPolicy = !awsSeen ? null : aws.clusterPolicies().gatewayClientPolicy()
                .map(p -> new GatewayPolicyRow(p.key(), true, p.minVersion(), p.mode(), p.subjectAltNameUris().size(), p.caCertificateRefs(),
                        p.crlRefs(), p.otherSettings()))
                .orElse(new GatewayPolicyRow(relay.namespace() + "/" + relay.clientTrafficPolicy(), false, "", "", 0, List.of(), List.of(), List.of()));
        Optional<String> crlPem = aws.revocations().publishedCrl().or(() -> azure.revocations().publishedCrl());
        Boolean crlInGateway = awsSeen ? crlPem.map(pem -> Optional.ofNullable(aws.secrets().eks().get(relay.namespace() + "/" + relay.crlSecret()))
                .map(secret -> SecretState.sha256Hex(pem).equals(secret.sha256ByKey().get(dev.relaylink.k8s.ClusterSecretData.CA_CRL)))
                .orElse(false)).orElse(false) : null;
        RevocationListRow revocationList = crlPem.map(pem -> {
            java.security.cert.X509CRL crl = dev.relaylink.pki.Pem.readRevocationList(pem);
            List<String> serials = crl.getRevokedCertificates() == null ? List.of() : crl.getRevokedCertificates().stream()
                    .map(entry -> entry.getSerialNumber()).sorted().map(serial -> serial.toString(16)).toList();
            return new RevocationListRow(true, crl.getIssuerX500Principal().getName(), crl.getThisUpdate().toInstant(),
                    crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant(), serials, crlInGateway);
        }).orElse(new RevocationListRow(false, "", null, null, List.of(), crlInGateway));
        List<NetworkPolicyRow> networkPolicies = new ArrayList<>();
        if (azureSeen) {
            for (LinkSpec.Workload workload : spec.workloads()) {
                String key = workload.namespace() + "/" + workload.networkPolicyName();
                var policy = azure.clusterPolicies().workloadEgress().get(key);
                networkPolicies.add(policy == null ? new NetworkPolicyRow(key, false, Set.of(), 0, false, List.of())
                        : new NetworkPolicyRow(key, true, new TreeSet<>(policy.relayIps()), policy.relayPort(), policy.clusterDns(), policy.otherRules()));
            }
        }

        LinkSpec.Azure az = spec.azure();
        List<PrivateEndpoint> privateEndpoints = azure.azureNetwork().privateEndpoints().stream()
                .map(p -> new PrivateEndpoint(p.name(), p.subscriptionId(), p.vnetId(), p.status(), p.privateIp(), vnetAllowed(az, p)))
                .toList();
        Dns dns = new Dns(az.privateDns().recordName() + "." + az.privateDns().zone(), new TreeSet<>(azure.azureNetwork().dnsRecordIps()), azureSeen);

        List<EventRow> events = new ArrayList<>();
        List<DeadLetterRow> deadLetters = new ArrayList<>();
        for (LinkSide side : sides) {
            side.events().recent(EVENTS_PER_SIDE).forEach(e -> events.add(new EventRow(side.name(), e.eventId(), e.status(), e.at())));
            for (QueueDepth depth : side.deadLetters().depths()) {
                deadLetters.add(new DeadLetterRow(side.name(), depth.queue(),
                        depth.messages() == null ? "not read" : Long.toString(depth.messages()), depth.note()));
            }
        }
        return new LinkStatus(spec.name(), now, previews.stream().map(LinkPreview.SidePreview::side).toList(), service, connections, lb,
                trust, certificates, cas, privateEndpoints, dns, events, deadLetters, LinkPreview.actions(previews),
                gatewayPolicy, revocationList, networkPolicies);
    }

    /** The status as titled tables, in the order an operator reads the path: AWS network, trust, certificates, Azure network, history. */
    public List<Table> tables() {
        List<Table> tables = new ArrayList<>();
        tables.add(new Table("Endpoint service", List.of("service id", "service name", "acceptance required", "allowed principals", "NLB"),
                endpointService == null ? List.of() : List.of(List.of(endpointService.serviceId(), endpointService.serviceName(),
                        yes(endpointService.acceptanceRequired()), String.join(", ", endpointService.allowedPrincipals()),
                        String.join(", ", endpointService.loadBalancers())))));
        tables.add(new Table("Endpoint connections", List.of("vpc endpoint", "owner", "state", "owner allowed"),
                endpointConnections.stream().map(c -> List.of(c.vpcEndpointId(), c.owner(), c.state(), yes(c.allowed()))).toList()));
        tables.add(new Table("NLB listeners", List.of("listener", "port", "protocol", "target group"),
                loadBalancer.listeners().stream().map(l -> List.of(l.listenerArn(), Integer.toString(l.port()), l.protocol(), l.targetGroupArn())).toList()));
        List<List<String>> targets = new ArrayList<>(loadBalancer.targets().stream()
                .map(t -> List.of(t.target(), yes(t.registered()), yes(t.readyInEks()))).toList());
        tables.add(new Table("NLB targets", List.of("target", "registered", "ready gateway pod"), targets));
        tables.add(new Table("NLB security", List.of("security groups", "ingress rules"),
                List.of(List.of(String.join(", ", loadBalancer.securityGroups()), String.join(", ", loadBalancer.ingressRules())))));
        tables.add(new Table("Gateway and workload trust objects", List.of("cluster", "kind", "name", "present", "state"),
                trustObjects.stream().map(t -> List.of(t.cluster(), t.kind(), t.name(), yes(t.present()), t.state())).toList()));
        tables.add(new Table("Gateway ClientTrafficPolicy", List.of("name", "present", "min TLS", "client validation", "SAN matchers",
                "CA refs", "CRL refs", "other settings"), gatewayPolicy == null ? List.of() : List.of(List.of(gatewayPolicy.name(),
                yes(gatewayPolicy.present()), gatewayPolicy.minVersion(), gatewayPolicy.mode(), Integer.toString(gatewayPolicy.sanMatchers()),
                String.join(", ", gatewayPolicy.caRefs()), gatewayPolicy.crlRefs().isEmpty() ? "(none)" : String.join(", ", gatewayPolicy.crlRefs()),
                gatewayPolicy.otherSettings().isEmpty() ? "(none)" : String.join("; ", gatewayPolicy.otherSettings())))));
        tables.add(new Table("Client CA revocation list", List.of("issuer", "this update", "next update", "revoked serials", "in gateway"),
                !revocationList.published() ? List.of() : List.of(List.of(revocationList.issuer(), String.valueOf(revocationList.thisUpdate()),
                        String.valueOf(revocationList.nextUpdate()),
                        revocationList.revokedSerials().isEmpty() ? "(none)" : String.join(", ", revocationList.revokedSerials()),
                        revocationList.inGateway() == null ? "not observed" : yes(revocationList.inGateway())))));
        tables.add(new Table("Certificates", List.of("certificate", "subject", "issuer", "serial", "not after", "days left", "renew at", "due"),
                certificates.stream().map(c -> List.of(c.role(), c.subject(), c.issuer(), c.serial(), c.notAfter().toString(),
                        Long.toString(c.daysLeft()), c.renewAt().toString(), c.due() ? "renew now" : "not yet")).toList()));
        tables.add(new Table("CA generations and their copies", List.of("CA", "generation", "subject", "serial", "not after", "days left", "copies"),
                cas.stream().map(c -> List.of(c.ca(), c.generation(), c.subject(), c.serial(), c.notAfter().toString(), Long.toString(c.daysLeft()),
                        String.join("; ", c.copies()))).toList()));
        tables.add(new Table("Private endpoints", List.of("connection", "subscription", "vnet", "status", "private IP", "vnet allowed"),
                privateEndpoints.stream().map(p -> List.of(p.name(), p.subscriptionId(), p.vnetId(), p.status(), p.privateIp(), yes(p.allowed()))).toList()));
        tables.add(new Table("AKS egress NetworkPolicies", List.of("name", "present", "to relay", "cluster DNS", "other rules"),
                networkPolicies.stream().map(p -> List.of(p.name(), yes(p.present()),
                        p.relayIps().isEmpty() ? "(none)" : p.relayIps().stream().map(ip -> ip + "/32:" + p.relayPort()).collect(java.util.stream.Collectors.joining(", ")),
                        yes(p.clusterDns()), p.otherRules().isEmpty() ? "(none)" : String.join("; ", p.otherRules()))).toList()));
        tables.add(new Table("Private DNS", List.of("record", "A"),
                dns.observed() ? List.of(List.of(dns.record(), dns.ipv4().isEmpty() ? "(none)" : String.join(", ", dns.ipv4()))) : List.of()));
        tables.add(new Table("Last events handled", List.of("side", "event id", "status", "at"),
                lastEvents.stream().map(e -> List.of(e.side(), e.eventId(), e.status(), e.at().toString())).toList()));
        tables.add(new Table("Dead letters", List.of("side", "queue", "messages", "note"),
                deadLetters.stream().map(d -> List.of(d.side(), d.queue(), d.messages(), d.note())).toList()));
        tables.add(new Table("Pending actions (what plan would run)", List.of("side", "type", "target", "reason"),
                pendingActions.stream().map(a -> List.of(a.side(), a.type(), a.target(), a.reason())).toList()));
        return tables;
    }

    private static ObservedState observed(List<LinkPreview.SidePreview> previews, String side) {
        return previews.stream().filter(p -> p.side().equals(side)).map(LinkPreview.SidePreview::observed).findFirst()
                .orElse(ObservedState.empty());
    }

    private static boolean has(List<LinkPreview.SidePreview> previews, String side) {
        return previews.stream().anyMatch(p -> p.side().equals(side));
    }

    private static boolean ownerAllowed(Set<String> principals, EndpointConnection connection) {
        return principals.stream().anyMatch(p -> p.equals(connection.owner()) || p.startsWith("arn:aws:iam::" + connection.owner() + ":"));
    }

    private static boolean vnetAllowed(LinkSpec.Azure azure, PrivateEndpointConnection connection) {
        return azure.allowedVnets().stream().anyMatch(v -> v.equalsIgnoreCase(connection.vnetId()));
    }

    private static TrustObject trustObject(String cluster, String kind, String namespace, String name, Map<String, SecretState> observed,
                                           Optional<String> expectedFingerprint) {
        SecretState secret = observed.get(namespace + "/" + name);
        String state;
        if (secret == null) {
            state = "missing";
        } else if (expectedFingerprint.isPresent()) {
            state = expectedFingerprint.get().equals(secret.certificateFingerprint()) ? "holds the current certificate" : "holds another certificate";
        } else {
            state = "keys " + String.join(", ", new TreeSet<>(secret.sha256ByKey().keySet()));
        }
        return new TrustObject(cluster, kind, namespace + "/" + name, secret != null, state);
    }

    private static CertificateRow certificate(String role, X509Certificate leaf, RenewalPolicy policy, Instant now) {
        Instant notAfter = leaf.getNotAfter().toInstant();
        return new CertificateRow(role, leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
                Certificates.serialHex(leaf), notAfter, Duration.between(now, notAfter).toDays(), policy.renewAt(leaf), policy.isDue(leaf, now));
    }

    private static CaRow ca(String which, X509Certificate ca, List<String> copies, String generation, Instant now) {
        Instant notAfter = ca.getNotAfter().toInstant();
        return new CaRow(which, ca.getSubjectX500Principal().getName(), Certificates.serialHex(ca), notAfter,
                Duration.between(now, notAfter).toDays(), List.copyOf(copies), generation);
    }

    /** Each published CA generation's state (issuing, next, previous) by fingerprint, from the CA's own published list. */
    private static Map<String, String> generations(List<X509Certificate> published) {
        Map<String, String> states = new LinkedHashMap<>();
        for (var generation : dev.relaylink.pki.CaGenerations.of(published)) {
            states.put(generation.fingerprint(), generation.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return states;
    }

    private static void collect(Map<String, X509Certificate> cas, Map<String, List<String>> copies, List<X509Certificate> seen, String where) {
        for (X509Certificate ca : seen) {
            String fingerprint = Certificates.fingerprint(ca);
            cas.putIfAbsent(fingerprint, ca);
            List<String> places = copies.computeIfAbsent(fingerprint, f -> new ArrayList<>());
            if (!places.contains(where)) {
                places.add(where);
            }
        }
    }

    private static String yes(boolean value) {
        return value ? "yes" : "no";
    }
}
