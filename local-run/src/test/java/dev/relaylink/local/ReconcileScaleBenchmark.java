package dev.relaylink.local;

import dev.relaylink.azure.fake.AzureFake;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.spec.LinkSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cost of a scheduled reconcile at scale (scripts/benchmark figure 6; docs/benchmarks.md section 7): a link with
 * 1,000 workloads and 10,000 accepted endpoint connections on the local clouds (AWS emulator, EC2 connection stub,
 * Azure REST fake, two mock API servers), then both sides' reconcile with nothing to do, then with 10% of the
 * workloads' certificates due. Counts every API call per service (AWS SDK interceptor, the Azure fake's request
 * log, the API servers' request logs) and times each reconcile. A benchmark: it prints, it asserts nothing but
 * that each run did what it was meant to.
 */
public final class ReconcileScaleBenchmark {
    static final int WORKLOADS = Integer.getInteger("relaylink.scale.workloads", 1000);
    static final int CONNECTIONS = Integer.getInteger("relaylink.scale.connections", 10_000);
    static final int NAMESPACES = 20;

    private ReconcileScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        try (LocalClouds clouds = new LocalClouds(example -> workloads())) {
            LocalFunctions link = new LocalFunctions(clouds);
            long start = System.nanoTime();
            link.bootstrap();
            String serviceId = clouds.endpointServiceId().orElseThrow();
            for (int i = 0; i < CONNECTIONS; i++) {
                clouds.ec2Stub.connect(serviceId, String.format("vpce-%017x", i), LocalRun.CONSUMER_ACCOUNT);
            }
            LocalRun.expectResult(link.invoke(link.awsReconcile, link.events.scheduled()), "APPLIED");
            long accepted = clouds.ec2Stub.connections().stream().filter(c -> c.state().equals("available")).count();
            LocalRun.require(accepted == CONNECTIONS, CONNECTIONS + " connections accepted, not " + accepted);
            System.out.printf("world: %d workloads in %d namespaces, %d accepted endpoint connections; built in %.1f s%n",
                    WORKLOADS, NAMESPACES, CONNECTIONS, (System.nanoTime() - start) / 1e9);

            measure(clouds, link, "no-change reconcile", "NO_CHANGE");

            List<LinkSpec.Workload> due = clouds.spec.workloads().subList(0, WORKLOADS / 10);
            Instant issued = Instant.now().minus(clouds.spec.certificates().client().lifetime().multipliedBy(3).dividedBy(4));
            for (LinkSpec.Workload workload : due) {
                clouds.importClientCertificate(workload.spiffeId(clouds.spec.trustDomain()), issued);
            }
            measure(clouds, link, "reconcile rotating " + due.size() + " client certificates (10%)", "APPLIED");
            SpiffeId first = due.get(0).spiffeId(clouds.spec.trustDomain());
            Instant notBefore = clouds.azureLink.ports().clientCertificates().current(first).orElseThrow().leaf().getNotBefore().toInstant();
            LocalRun.require(notBefore.isAfter(issued.plus(Duration.ofHours(1))), "the due certificates were rotated");
        }
    }

    static List<LinkSpec.Workload> workloads() {
        List<LinkSpec.Workload> workloads = new ArrayList<>();
        for (int i = 0; i < WORKLOADS; i++) {
            workloads.add(new LinkSpec.Workload(String.format("team-%02d", i % NAMESPACES), String.format("svc-%04d", i), "relay-mtls-" + i));
        }
        return workloads;
    }

    private static void measure(LocalClouds clouds, LocalFunctions link, String what, String azureOutcome) {
        clouds.awsCalls.clear();
        clouds.eks.requests();
        clouds.aks.requests();
        int azureSeen = clouds.azure.requests().size();

        long awsStart = System.nanoTime();
        String aws = link.invoke(link.awsReconcile, link.events.scheduled()).result();
        long awsNanos = System.nanoTime() - awsStart;
        List<String> eksRequests = clouds.eks.requests();
        long azureStart = System.nanoTime();
        link.azureReconcile();
        long azureNanos = System.nanoTime() - azureStart;

        Map<String, Long> counts = new TreeMap<>();
        clouds.awsCalls.calls().forEach(call -> counts.merge("AWS " + call, 1L, Long::sum));
        eksRequests.forEach(r -> counts.merge("EKS API " + kubernetes(r), 1L, Long::sum));
        clouds.aks.requests().forEach(r -> counts.merge("AKS API " + kubernetes(r), 1L, Long::sum));
        List<AzureFake.RecordedRequest> azure = clouds.azure.requests();
        azure.subList(azureSeen, azure.size()).forEach(r -> counts.merge(azure(r), 1L, Long::sum));

        System.out.printf("%n%s: AWS reconcile %s in %.2f s, Azure reconcile in %.2f s%n", what, aws, awsNanos / 1e9, azureNanos / 1e9);
        Map<String, Long> byService = counts.entrySet().stream().collect(Collectors.groupingBy(e -> service(e.getKey()), TreeMap::new,
                Collectors.summingLong(Map.Entry::getValue)));
        System.out.printf("  calls: %d in total; %s%n", counts.values().stream().mapToLong(Long::longValue).sum(),
                byService.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        counts.forEach((call, n) -> System.out.printf("  %6d  %s%n", n, call));
        if (!azureOutcome.isEmpty() && counts.keySet().stream().noneMatch(k -> k.contains("Key Vault"))) {
            throw new IllegalStateException("the Azure reconcile made no Key Vault call: it did not run");
        }
    }

    /** "GET secrets" from "GET /api/v1/namespaces/team-01/secrets/relay-mtls-1": the verb and the resource kind. */
    static String kubernetes(String request) {
        String[] parts = request.split(" ", 2);
        String path = parts[1].replaceAll("\\?.*", "");
        String[] segments = path.split("/");
        int namespaces = List.of(segments).indexOf("namespaces");
        String kind = namespaces >= 0 && segments.length > namespaces + 2 ? segments[namespaces + 2] : segments[segments.length - 1];
        boolean named = namespaces >= 0 && segments.length > namespaces + 3;
        return parts[0] + " " + kind + (named ? "/<name>" : "") + (parts[1].contains("labelSelector") ? " (by label)" : "");
    }

    /** The Azure service and operation of a request to the fake, by its path. */
    static String azure(AzureFake.RecordedRequest request) {
        String path = request.path();
        // A request without a bearer token is the SDK's challenge round trip (401), which the service counts too.
        Function<String, String> op = what -> request.method() + " " + what + (request.bearer() ? "" : " (no token: " + request.status() + ")");
        if (path.startsWith("/subscriptions/")) {
            String kind = path.contains("privateEndpointConnections") ? "privateEndpointConnections" : path.contains("privateLinkServices")
                    ? "privateLinkServices" : path.contains("privateDnsZones") ? "privateDnsZones" : "other";
            return "Azure ARM " + op.apply(kind);
        }
        for (String collection : List.of("certificates", "secrets", "keys")) {
            if (path.startsWith("/" + collection)) {
                long depth = path.chars().filter(c -> c == '/').count();
                return "Azure Key Vault " + op.apply(collection + (depth >= 2 ? "/<name>" : "") + (depth >= 3 ? "/<version>" : ""));
            }
        }
        return "Azure Table " + op.apply(path.contains("(") ? "entity" : "table");
    }

    private static String service(String call) {
        String[] words = call.split(" ");
        return switch (words[0]) {
            case "AWS" -> words[1].substring(0, words[1].indexOf('.'));
            case "Azure" -> words[1].equals("Key") ? "Key Vault" : words[1];
            default -> words[0] + " " + words[1];
        };
    }
}
