package dev.relaylink.local;

import dev.relaylink.k8s.KubernetesClusterSecrets;
import dev.relaylink.k8s.KubernetesGatewayPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes every object relay-link created in a cluster (those carrying its managed-by label) as one
 * YAML file each, {@code <Kind>-<namespace>-<name>.yaml}, so anyone can check them with their own
 * tools. Secret values are replaced by the word REDACTED: only the key names remain.
 */
final class ClusterArtifacts {
    static final String REDACTED = "REDACTED";

    private ClusterArtifacts() {
    }

    /** Returns the files written. */
    static List<Path> write(KubernetesClient client, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<HasMetadata> objects = new ArrayList<>();
        String label = KubernetesClusterSecrets.MANAGED_BY_LABEL;
        String value = KubernetesClusterSecrets.MANAGED_BY;
        for (Secret secret : client.secrets().inAnyNamespace().withLabel(label, value).list().getItems()) {
            objects.add(redacted(secret));
        }
        objects.addAll(client.genericKubernetesResources(KubernetesGatewayPolicy.CLIENT_TRAFFIC_POLICIES).inAnyNamespace()
                .withLabel(label, value).list().getItems());
        objects.addAll(client.network().v1().networkPolicies().inAnyNamespace().withLabel(label, value).list().getItems());
        List<Path> written = new ArrayList<>();
        for (HasMetadata object : objects) {
            Path file = folder.resolve(object.getKind() + "-" + object.getMetadata().getNamespace() + "-" + object.getMetadata().getName() + ".yaml");
            Files.writeString(file, client.getKubernetesSerialization().asYaml(object));
            written.add(file);
        }
        return written;
    }

    private static Secret redacted(Secret secret) {
        Map<String, String> keys = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().keySet().forEach(key -> keys.put(key, REDACTED));
        }
        Secret copy = new io.fabric8.kubernetes.api.model.SecretBuilder(secret).withData(keys).withStringData(null).build();
        return copy;
    }
}
