package dev.relaylink.local;

import static dev.relaylink.local.LocalRun.expectResult;
import static dev.relaylink.local.LocalRun.require;
import static dev.relaylink.local.LocalRun.shortSerial;

import dev.relaylink.azure.function.ClientCertificateRotationFunction;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.spec.LinkSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Both rotations while an allowed workload keeps calling relay: a Key Vault near-expiry event for
 * its client certificate, and Secrets Manager's four rotation steps for the server certificate.
 * The workload re-reads its AKS secret for every call (as a pod sees its mounted secret change), the
 * gateway reloads its EKS secret; not one call may fail.
 */
final class RotationUnderLoad {
    /** Calls before, between and after the rotations. */
    private static final int CALLS_PER_PHASE = 15;

    private final LocalFunctions link;
    private final LocalClouds clouds;
    /** Measured figures of the last run: event to new certificate in place, per rotation, and calls made. */
    final java.util.Map<String, Long> figures = new java.util.LinkedHashMap<>();

    RotationUnderLoad(LocalFunctions link) {
        this.link = link;
        this.clouds = link.clouds;
    }

    String run() throws Exception {
        LinkSpec spec = clouds.spec;
        LinkSpec.Workload caller = spec.workloads().get(0);
        SpiffeId id = caller.spiffeId(spec.trustDomain());
        ageClientCertificate(id);
        Credential clientBefore = clouds.azureLink.ports().clientCertificates().current(id).orElseThrow();
        Credential serverBefore = clouds.awsLink.ports().serverCertificates().current().orElseThrow();

        long clientMillis;
        long serverMillis;
        int calls;
        List<String> failures;
        try (WorkloadTraffic traffic = new WorkloadTraffic(clouds, caller)) {
            traffic.awaitMoreCalls(CALLS_PER_PHASE);
            List<String> versions = clouds.azure.keyVault().certificateVersions(caller.keyVaultCertificateName());
            long clientStart = System.nanoTime();
            link.clientRotation.run(link.events.certificateNearExpiry(caller, versions.getLast(), clientBefore.leaf()),
                    LocalContext.of(ClientCertificateRotationFunction.NAME));
            clientMillis = (System.nanoTime() - clientStart) / 1_000_000;
            traffic.awaitMoreCalls(CALLS_PER_PHASE);

            String token = UUID.randomUUID().toString();
            long serverStart = System.nanoTime();
            for (String step : List.of("createSecret", "setSecret", "testSecret", "finishSecret")) {
                // testSecret only checks: it changes nothing and says so
                expectResult(link.invoke(link.serverRotation, link.events.rotationStep(step, token)), step.equals("testSecret") ? "NO_CHANGE" : "APPLIED");
            }
            serverMillis = (System.nanoTime() - serverStart) / 1_000_000;
            traffic.awaitMoreCalls(CALLS_PER_PHASE);
            traffic.close();
            calls = traffic.calls();
            failures = traffic.failures();
        }
        figures.put("clientRotationMillis", clientMillis);
        figures.put("serverRotationMillis", serverMillis);
        figures.put("callsDuringRotations", (long) calls);
        figures.put("failedCalls", (long) failures.size());
        Credential clientAfter = clouds.azureLink.ports().clientCertificates().current(id).orElseThrow();
        Credential serverAfter = clouds.awsLink.ports().serverCertificates().current().orElseThrow();
        require(!Certificates.fingerprint(clientAfter.leaf()).equals(Certificates.fingerprint(clientBefore.leaf())), "the client certificate rotated");
        require(!Certificates.fingerprint(serverAfter.leaf()).equals(Certificates.fingerprint(serverBefore.leaf())), "the server certificate rotated");
        require(failures.isEmpty(), failures.size() + " failed calls, first: " + failures.stream().limit(2).toList());
        return String.format("client %s -> %s in %d ms (near-expiry event to new version in the AKS secret), server %s -> %s in %d ms "
                        + "(four steps to the gateway serving it); %d calls during the rotations, 0 failed",
                shortSerial(clientBefore), shortSerial(clientAfter), clientMillis, shortSerial(serverBefore), shortSerial(serverAfter),
                serverMillis, calls);
    }

    /**
     * Five days pass: the workload's current version becomes one issued five days ago, which the
     * spec's renewal policy (7 days, renew with 33% left) says is due. Key Vault then reports it near expiry.
     */
    private void ageClientCertificate(SpiffeId id) {
        clouds.importClientCertificate(id, Instant.now().minus(Duration.ofDays(5)));
    }
}
