package dev.relaylink.local;

import dev.relaylink.k8s.KubernetesGatewayPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Reads what relay-link wrote into a cluster, as the gateway or a pod would consume it. */
final class ClusterReader {
    private final KubernetesClient client;

    ClusterReader(KubernetesClient client) {
        this.client = client;
    }

    Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }

    Optional<GenericKubernetesResource> clientTrafficPolicy(String namespace, String name) {
        return Optional.ofNullable(client.genericKubernetesResources(KubernetesGatewayPolicy.CLIENT_TRAFFIC_POLICIES)
                .inNamespace(namespace).withName(name).get());
    }

    static String value(Secret secret, String key) {
        Map<String, String> data = secret.getData();
        String encoded = data == null ? null : data.get(key);
        if (encoded == null) {
            throw new IllegalStateException("secret " + secret.getMetadata().getName() + " has no " + key);
        }
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
}
