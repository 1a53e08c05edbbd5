package dev.relaylink.k8s;

import dev.relaylink.port.GatewayEndpoints;
import dev.relaylink.state.Target;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's ready pod endpoints from its EndpointSlices (discovery.k8s.io/v1), which is what
 * the NLB's IP target group must hold. {@code port} is the Service port (443); the Service maps it,
 * by port name, to the pods' port (Envoy Gateway listens on e.g. 10443), and the targets carry the
 * pods' port, as the NLB needs. No fallback to core/v1 Endpoints: EndpointSlices are GA since
 * Kubernetes 1.21 and every supported EKS version serves them, while Endpoints is deprecated.
 */
public final class KubernetesGatewayEndpoints implements GatewayEndpoints {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesGatewayEndpoints.class);
    private static final String TCP = "TCP";

    private final KubernetesClient client;

    public KubernetesGatewayEndpoints(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Ready endpoints (condition {@code ready} true, or absent, which Kubernetes defines as ready);
     * terminating and not-ready pods are left out. A missing Service, or one without {@code port},
     * is an error rather than "no targets", so a wrong spec never empties the target group.
     */
    @Override
    public Set<Target> ready(String namespace, String service, int port) {
        String ref = "Service " + namespace + "/" + service;
        ServicePort servicePort = servicePort(namespace, service, port, ref);
        String portName = Objects.requireNonNullElse(servicePort.getName(), "");
        String protocol = Objects.requireNonNullElse(servicePort.getProtocol(), TCP);
        List<EndpointSlice> slices;
        try {
            slices = client.discovery().v1().endpointSlices().inNamespace(namespace)
                    .withLabel(SERVICE_NAME_LABEL, service).list().getItems();
        } catch (KubernetesClientException e) {
            throw new ClusterException("cannot list EndpointSlices of " + ref + ": HTTP " + e.getCode(), e);
        }
        Set<Target> targets = new TreeSet<>();
        int notReady = 0;
        for (EndpointSlice slice : slices) {
            if ("FQDN".equals(slice.getAddressType())) {
                continue; // an NLB IP target group takes IP addresses only
            }
            Optional<Integer> podPort = podPort(slice, portName, protocol);
            if (podPort.isEmpty()) {
                continue;
            }
            for (Endpoint endpoint : Objects.requireNonNullElse(slice.getEndpoints(), List.<Endpoint>of())) {
                if (!isReady(endpoint)) {
                    notReady++;
                    continue;
                }
                for (String address : Objects.requireNonNullElse(endpoint.getAddresses(), List.<String>of())) {
                    targets.add(new Target(address, podPort.get()));
                }
            }
        }
        LOG.debug("{} port {}: {} ready endpoint(s), {} not ready, from {} EndpointSlice(s)", ref, port, targets.size(), notReady, slices.size());
        return targets;
    }

    private ServicePort servicePort(String namespace, String service, int port, String ref) {
        Service found;
        try {
            found = client.services().inNamespace(namespace).withName(service).get();
        } catch (KubernetesClientException e) {
            throw new ClusterException("cannot read " + ref + ": HTTP " + e.getCode(), e);
        }
        if (found == null) {
            throw new ClusterException(ref + " not found: check the link spec's relay namespace and gateway service");
        }
        List<ServicePort> ports = found.getSpec() == null || found.getSpec().getPorts() == null ? List.of() : found.getSpec().getPorts();
        return ports.stream().filter(p -> p.getPort() != null && p.getPort() == port).findFirst()
                .orElseThrow(() -> new ClusterException(ref + " has no port " + port + "; it exposes "
                        + ports.stream().map(ServicePort::getPort).toList()));
    }

    /** EndpointSlice ports carry the Service port's name; their number is the pods' port. */
    private static Optional<Integer> podPort(EndpointSlice slice, String portName, String protocol) {
        return Objects.requireNonNullElse(slice.getPorts(), List.<EndpointPort>of()).stream()
                .filter(p -> portName.equals(Objects.requireNonNullElse(p.getName(), ""))
                        && protocol.equals(Objects.requireNonNullElse(p.getProtocol(), TCP))
                        && p.getPort() != null)
                .map(EndpointPort::getPort)
                .findFirst();
    }

    private static boolean isReady(Endpoint endpoint) {
        return endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
                || endpoint.getConditions().getReady();
    }
}
