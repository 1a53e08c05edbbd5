package dev.relaylink.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.port.TargetGroupBindingPort;
import dev.relaylink.state.TargetGroupBinding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link TargetGroupBindingPort} on fabric8: the AWS Load Balancer Controller's {@code TargetGroupBinding}
 * (elbv2.k8s.aws/v1beta1) as a generic resource. It writes the spec relay-link owns and nothing else,
 * with {@code ipAddressType} explicit (the controller's webhook would default it) so that what the API
 * server stores compares equal to what relay-link writes.
 */
public final class KubernetesTargetGroupBindings implements TargetGroupBindingPort {
    public static final String API_VERSION = "elbv2.k8s.aws/v1beta1";
    public static final String KIND = "TargetGroupBinding";
    public static final ResourceDefinitionContext TARGET_GROUP_BINDINGS = new ResourceDefinitionContext.Builder()
            .withGroup("elbv2.k8s.aws").withVersion("v1beta1").withKind(KIND).withPlural("targetgroupbindings")
            .withNamespaced(true).build();
    static final String IPV4 = "ipv4";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final int maxAttempts;

    public KubernetesTargetGroupBindings(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.maxAttempts = KubernetesClusterSecrets.DEFAULT_ATTEMPTS;
    }

    @Override
    public Optional<TargetGroupBinding> observe(String namespace, String name) {
        KubernetesClusterSecrets.requireNames(namespace, name);
        GenericKubernetesResource found = KubernetesClusterSecrets.read(client.genericKubernetesResources(TARGET_GROUP_BINDINGS), KIND, namespace, name);
        return Optional.ofNullable(found).map(resource -> parse(namespace, name, spec(resource)));
    }

    @Override
    public boolean apply(TargetGroupBinding binding) {
        KubernetesClusterSecrets.requireNames(binding.namespace(), binding.name());
        if (!binding.otherSettings().isEmpty()) {
            throw new IllegalArgumentException("relay-link writes no other settings, got " + binding.otherSettings());
        }
        ObjectNode wanted = render(binding);
        return KubernetesClusterSecrets.apply(maxAttempts, client.genericKubernetesResources(TARGET_GROUP_BINDINGS), KIND,
                binding.namespace(), binding.name(), Map.of(), current -> wanted.equals(spec(current)),
                (current, metadata) -> new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(KIND)
                        .withMetadata(metadata).addToAdditionalProperties("spec", JSON.convertValue(wanted, Map.class)).build(),
                binding.targetType() + " targets of Service " + binding.serviceName() + ":" + binding.servicePort());
    }

    /** The object's spec as relay-link writes it. */
    public static ObjectNode render(TargetGroupBinding binding) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("targetGroupARN", binding.targetGroupArn());
        spec.put("targetType", binding.targetType());
        spec.put("ipAddressType", IPV4);
        spec.putObject("serviceRef").put("name", binding.serviceName()).put("port", binding.servicePort());
        if (!binding.ingressFromSecurityGroups().isEmpty()) {
            // Only from the NLB's security group; no port: the target port on the pods, which the NLB's group egresses to only.
            ObjectNode rule = spec.putObject("networking").putArray("ingress").addObject();
            ArrayNode from = rule.putArray("from");
            binding.ingressFromSecurityGroups().forEach(group -> from.addObject().putObject("securityGroup").put("groupID", group));
            rule.putArray("ports").addObject().put("protocol", "TCP");
        }
        return spec;
    }

    /** Reads what an object says, naming every field that relay-link does not write. */
    public static TargetGroupBinding parse(String namespace, String name, JsonNode spec) {
        List<String> other = new ArrayList<>();
        others(spec, Set.of("targetGroupARN", "targetType", "ipAddressType", "serviceRef", "networking"), "spec", other);
        if (spec.has("ipAddressType") && !IPV4.equals(spec.path("ipAddressType").asText())) {
            other.add("spec.ipAddressType=" + spec.path("ipAddressType").asText());
        }
        JsonNode serviceRef = spec.path("serviceRef");
        others(serviceRef, Set.of("name", "port"), "spec.serviceRef", other);
        JsonNode port = serviceRef.path("port");
        int servicePort = port.canConvertToInt() ? port.asInt() : -1;
        if (!port.isMissingNode() && !port.canConvertToInt()) {
            other.add("spec.serviceRef.port=" + port.asText()); // a named port: relay-link writes the number
        }
        JsonNode networking = spec.path("networking");
        others(networking, Set.of("ingress"), "spec.networking", other);
        List<String> groups = new ArrayList<>();
        JsonNode ingress = networking.path("ingress");
        for (int i = 0; i < ingress.size(); i++) {
            JsonNode rule = ingress.get(i);
            String at = "spec.networking.ingress[" + i + "]";
            others(rule, Set.of("from", "ports"), at, other);
            for (JsonNode peer : rule.path("from")) {
                if (peer.has("securityGroup") && peer.size() == 1) {
                    groups.add(peer.path("securityGroup").path("groupID").asText());
                } else {
                    other.add(at + ".from " + peer); // an ipBlock would open the pods to more than the NLB
                }
            }
            JsonNode ports = rule.path("ports");
            if (!(ports.size() == 1 && ports.get(0).size() == 1 && "TCP".equals(ports.get(0).path("protocol").asText()))) {
                other.add(at + ".ports " + ports);
            }
        }
        return new TargetGroupBinding(namespace, name, spec.path("targetGroupARN").asText(""), spec.path("targetType").asText("(unset)"),
                serviceRef.path("name").asText(""), servicePort, groups, other);
    }

    private static JsonNode spec(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        return spec == null ? JSON.createObjectNode() : JSON.valueToTree(spec);
    }

    private static void others(JsonNode node, Set<String> known, String path, List<String> into) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                into.add(path + "." + field);
            }
        }
    }
}
