package dev.relaylink.local;

import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.RelayClient;
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
    /** Held for each call; a pause holds it, so no call runs while the clock jumps. */
    private final java.util.concurrent.Semaphore running = new java.util.concurrent.Semaphore(1);

    WorkloadTraffic(LocalClouds clouds, LinkSpec.Workload caller) {
        this.clouds = clouds;
        this.caller = caller;
        this.thread = Thread.ofPlatform().name("workload-traffic").start(this::loop);
    }

    private void loop() {
        while (!stop.get() && calls.get() < CALL_LIMIT) {
            try {
                running.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                calls.incrementAndGet();
                RelayClient.call(WorkloadFromSecret.context(clouds.aksReader, caller.namespace(), caller.secretName(), clouds.clock),
                        clouds.spec.relay().hostName(), clouds.gateway.port(), "ping");
            } catch (Exception e) {
                synchronized (failures) {
                    failures.add(e.toString());
                }
            } finally {
                running.release();
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

    /** Runs {@code work} with no call in flight and none starting. */
    void paused(Runnable work) throws InterruptedException {
        running.acquire();
        try {
            work.run();
        } finally {
            running.release();
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
