package dev.relaylink.local;

import dev.relaylink.k8s.KubernetesGatewayEndpoints;
import dev.relaylink.k8s.KubernetesTargetGroupBindings;
import dev.relaylink.port.LoadBalancerPort;
import dev.relaylink.state.Target;
import dev.relaylink.state.TargetGroupBinding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the AWS Load Balancer Controller, configured only from what the controller reads: the
 * TargetGroupBindings in the relay namespace (which relay-link writes) and the EndpointSlices of the Service each
 * references. Like the controller it reconciles when one of those changes (a watch), registering the ready pod IPs
 * in the binding's target group (in the AWS emulator) and deregistering the rest; {@link #resync()} is its periodic
 * sync, the only thing that notices a target someone deregistered by hand.
 */
final class LoadBalancerControllerStandIn implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerControllerStandIn.class);

    private final KubernetesClient eks;
    private final LoadBalancerPort elb;
    private final String namespace;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "load-balancer-controller-stand-in");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Watch> watches;
    private final AtomicInteger reconciles = new AtomicInteger();

    LoadBalancerControllerStandIn(KubernetesClient eks, LoadBalancerPort elb, String namespace) {
        this.eks = eks;
        this.elb = elb;
        this.namespace = namespace;
        this.watches = List.of(
                eks.genericKubernetesResources(KubernetesTargetGroupBindings.TARGET_GROUP_BINDINGS).inNamespace(namespace).watch(onChange()),
                eks.discovery().v1().endpointSlices().inNamespace(namespace).watch(this.<EndpointSlice>onChange()));
    }

    private <T> Watcher<T> onChange() {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                worker.submit(LoadBalancerControllerStandIn.this::reconcileLogged);
            }

            @Override
            public void onClose(WatcherException cause) {
                LOG.warn("watch closed: {}", cause == null ? "normally" : cause.getMessage());
            }
        };
    }

    /** The controller's periodic sync. */
    void resync() {
        reconcile();
    }

    /** How many reconciles ran (each after a change it watches, or a resync). */
    int reconciles() {
        return reconciles.get();
    }

    private void reconcileLogged() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("reconcile failed, waiting for the next change: {}", e.toString());
        }
    }

    /** Every binding's target group holds exactly the ready pods of its Service; returns how many targets changed. */
    synchronized int reconcile() {
        reconciles.incrementAndGet();
        int changed = 0;
        for (GenericKubernetesResource object : eks.genericKubernetesResources(KubernetesTargetGroupBindings.TARGET_GROUP_BINDINGS)
                .inNamespace(namespace).list().getItems()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) object.getAdditionalProperties().getOrDefault("spec", Map.of());
            TargetGroupBinding binding = KubernetesTargetGroupBindings.parse(namespace, object.getMetadata().getName(),
                    new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(spec));
            if (!TargetGroupBinding.IP.equals(binding.targetType())) {
                LOG.info("{}: targetType {} is not served by this stand-in (the link's NLB takes ip targets)", binding.key(), binding.targetType());
                continue;
            }
            Set<Target> ready = new KubernetesGatewayEndpoints(eks).ready(namespace, binding.serviceName(), binding.servicePort());
            Set<Target> registered = elb.registeredTargets(binding.targetGroupArn());
            Set<Target> add = new TreeSet<>(ready);
            add.removeAll(registered);
            Set<Target> remove = new TreeSet<>(registered);
            remove.removeAll(ready);
            if (!add.isEmpty()) {
                elb.register(binding.targetGroupArn(), add);
            }
            if (!remove.isEmpty()) {
                elb.deregister(binding.targetGroupArn(), remove);
            }
            changed += add.size() + remove.size();
            LOG.info("{}: registered {}, deregistered {}", binding.key(), add, remove);
        }
        return changed;
    }

    /** Waits (bounded) until the target group holds exactly {@code expected}; whether it did. */
    boolean awaitTargets(String targetGroupArn, Set<Target> expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (elb.registeredTargets(targetGroupArn).equals(expected)) {
                return true;
            }
            Thread.sleep(10);
        }
        return elb.registeredTargets(targetGroupArn).equals(expected);
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        worker.shutdownNow();
    }
}
