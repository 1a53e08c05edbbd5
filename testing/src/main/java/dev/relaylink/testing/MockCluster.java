package dev.relaylink.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * One Kubernetes API server for tests: fabric8's mock server in CRUD mode (objects are stored,
 * resourceVersion is checked on update) on 127.0.0.1, with expectations taking precedence where a
 * test needs a scripted answer. {@link #requests()} lists what the client sent since the last call.
 */
public final class MockCluster implements AutoCloseable {
    public final KubernetesMockServer server;
    public final KubernetesClient client;
    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private int taken;

    public MockCluster() {
        this(false);
    }

    public MockCluster(boolean https) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        expectations = responses;
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), https);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient(new JdkHttpClientFactory());
    }

    /** Drops every scripted answer: the API server is back to plain CRUD (a fault is over). */
    public void clearExpectations() {
        synchronized (expectations) {
            expectations.clear();
        }
    }

    /** "METHOD path" of every request since the previous call, in order. */
    public List<String> requests() {
        List<String> sent = new ArrayList<>();
        try {
            while (taken < server.getRequestCount()) {
                RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
                if (request == null) {
                    break;
                }
                taken++;
                sent.add(request.getMethod() + " " + request.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sent;
    }

    public RecordedRequest lastRequest() throws InterruptedException {
        return server.getLastRequest();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
