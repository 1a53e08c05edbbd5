package dev.relaylink.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.port.GatewayPolicyPort;
import dev.relaylink.state.GatewayClientPolicy;
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
 * {@link GatewayPolicyPort} on fabric8: the Envoy Gateway {@code ClientTrafficPolicy}
 * (gateway.envoyproxy.io/v1alpha1) as a generic resource. It writes the spec relay-link owns and
 * nothing else, with explicit values where the CRD has defaults (ref kind and group, matcher type)
 * so that what the API server stores compares equal to what relay-link writes.
 */
public final class KubernetesGatewayPolicy implements GatewayPolicyPort {
    public static final String API_VERSION = "gateway.envoyproxy.io/v1alpha1";
    public static final String KIND = "ClientTrafficPolicy";
    public static final ResourceDefinitionContext CLIENT_TRAFFIC_POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.envoyproxy.io").withVersion("v1alpha1").withKind(KIND).withPlural("clienttrafficpolicies")
            .withNamespaced(true).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final int maxAttempts;

    public KubernetesGatewayPolicy(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.maxAttempts = KubernetesClusterSecrets.DEFAULT_ATTEMPTS;
    }

    @Override
    public Optional<GatewayClientPolicy> observe(String namespace, String name) {
        KubernetesClusterSecrets.requireNames(namespace, name);
        GenericKubernetesResource found = KubernetesClusterSecrets.read(client.genericKubernetesResources(CLIENT_TRAFFIC_POLICIES), KIND, namespace, name);
        return Optional.ofNullable(found).map(resource -> parse(namespace, name, spec(resource)));
    }

    @Override
    public boolean apply(GatewayClientPolicy policy) {
        KubernetesClusterSecrets.requireNames(policy.namespace(), policy.name());
        if (!policy.otherSettings().isEmpty()) {
            throw new IllegalArgumentException("relay-link writes no other settings, got " + policy.otherSettings());
        }
        ObjectNode wanted = render(policy);
        return KubernetesClusterSecrets.apply(maxAttempts, client.genericKubernetesResources(CLIENT_TRAFFIC_POLICIES), KIND,
                policy.namespace(), policy.name(), Map.of(), current -> wanted.equals(spec(current)),
                (current, metadata) -> new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(KIND)
                        .withMetadata(metadata).addToAdditionalProperties("spec", JSON.convertValue(wanted, Map.class)).build(),
                policy.subjectAltNameUris().size() + " SAN matcher(s), minVersion " + policy.minVersion() + ", " + policy.mode());
    }

    /** The object's spec as relay-link writes it. */
    public static ObjectNode render(GatewayClientPolicy policy) {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode targets = spec.putArray("targetRefs");
        for (String target : policy.targets()) {
            String[] parts = target.split("/", 4);
            ObjectNode ref = targets.addObject().put("group", parts[0]).put("kind", parts[1]).put("name", parts[2]);
            if (parts.length > 3 && !parts[3].isEmpty()) {
                ref.put("sectionName", parts[3]);
            }
        }
        ObjectNode tls = spec.putObject("tls");
        tls.put("minVersion", policy.minVersion());
        ObjectNode validation = tls.putObject("clientValidation");
        validation.put("mode", policy.mode());
        refs(validation.putArray("caCertificateRefs"), policy.namespace(), policy.caCertificateRefs());
        if (!policy.crlRefs().isEmpty()) {
            refs(validation.putObject("crl").putArray("refs"), policy.namespace(), policy.crlRefs());
        }
        ArrayNode uris = validation.putObject("subjectAltNames").putArray("uris");
        for (String matcher : policy.subjectAltNameUris()) {
            int colon = matcher.indexOf(':');
            uris.addObject().put("type", matcher.substring(0, colon)).put("value", matcher.substring(colon + 1));
        }
        return spec;
    }

    /** Reads what an object says, naming every field that relay-link does not write. */
    public static GatewayClientPolicy parse(String namespace, String name, JsonNode spec) {
        List<String> other = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (JsonNode ref : spec.path("targetRefs")) {
            targets.add(ref.path("group").asText() + "/" + ref.path("kind").asText() + "/" + ref.path("name").asText()
                    + "/" + ref.path("sectionName").asText(""));
        }
        others(spec, Set.of("targetRefs", "tls"), "spec", other);
        JsonNode tls = spec.path("tls");
        others(tls, Set.of("minVersion", "clientValidation"), "spec.tls", other);
        JsonNode validation = tls.path("clientValidation");
        others(validation, Set.of("mode", "caCertificateRefs", "crl", "subjectAltNames"), "spec.tls.clientValidation", other);
        JsonNode crl = validation.path("crl");
        others(crl, Set.of("refs"), "spec.tls.clientValidation.crl", other);
        JsonNode sans = validation.path("subjectAltNames");
        others(sans, Set.of("uris"), "spec.tls.clientValidation.subjectAltNames", other); // a DNS or IP matcher would admit more
        List<String> uris = new ArrayList<>();
        for (JsonNode matcher : sans.path("uris")) {
            uris.add(matcher.path("type").asText(GatewayClientPolicy.EXACT) + ":" + matcher.path("value").asText());
        }
        return new GatewayClientPolicy(namespace, name, targets, tls.path("minVersion").asText("(unset)"),
                validation.path("mode").asText("(unset)"), refs(namespace, validation.path("caCertificateRefs")),
                refs(namespace, crl.path("refs")), uris, other);
    }

    private static JsonNode spec(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        return spec == null ? JSON.createObjectNode() : JSON.valueToTree(spec);
    }

    private static void refs(ArrayNode into, String namespace, List<String> refs) {
        for (String ref : refs) {
            String[] parts = ref.split("/", 3);
            ObjectNode node = into.addObject().put("group", "").put("kind", parts[0]).put("name", parts[2]);
            if (!parts[1].equals(namespace)) {
                node.put("namespace", parts[1]);
            }
        }
    }

    private static List<String> refs(String namespace, JsonNode refs) {
        List<String> out = new ArrayList<>();
        for (JsonNode ref : refs) {
            String group = ref.path("group").asText("");
            out.add((group.isEmpty() ? "" : group + ":") + ref.path("kind").asText("Secret") + "/"
                    + ref.path("namespace").asText(namespace) + "/" + ref.path("name").asText());
        }
        return out;
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
