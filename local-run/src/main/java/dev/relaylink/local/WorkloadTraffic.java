package dev.relaylink.local;

import dev.relaylink.spec.LinkSpec;
import dev.relaylink.tls.RelayClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An allowed AKS workload calling relay in a bounded loop on its own thread. Each call re-reads the
 * workload's AKS secret (a pod sees its mounted secret change) and goes through the gateway, which
 * serves from the EKS secrets; every failed call is counted with its reason.
 */
final class WorkloadTraffic implements AutoCloseable {
    private static final int CALL_LIMIT = 5_000;

    private final LocalClouds clouds;
    private final LinkSpec.Workload caller;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private final Thread thread;

    WorkloadTraffic(LocalClouds clouds, LinkSpec.Workload caller) {
        this.clouds = clouds;
        this.caller = caller;
        this.thread = Thread.ofPlatform().name("workload-traffic").start(this::loop);
    }

    private void loop() {
        while (!stop.get() && calls.get() < CALL_LIMIT) {
            calls.incrementAndGet();
            try {
                RelayClient.call(WorkloadFromSecret.context(clouds.aksReader, caller.namespace(), caller.secretName()),
                        clouds.spec.relay().hostName(), clouds.gateway.port(), "ping");
            } catch (Exception e) {
                synchronized (failures) {
                    failures.add(e.toString());
                }
            }
        }
    }

    /** Waits (bounded) until {@code more} further calls were made, so a change is surely crossed by traffic. */
    void awaitMoreCalls(int more) throws InterruptedException {
        int target = calls.get() + more;
        for (int i = 0; i < 600 && calls.get() < target && thread.isAlive(); i++) {
            Thread.sleep(50);
        }
    }

    int calls() {
        return calls.get();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(30_000);
    }
}
