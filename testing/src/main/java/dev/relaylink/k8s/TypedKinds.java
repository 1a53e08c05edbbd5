package dev.relaylink.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks objects of built-in kinds (Deployment, NetworkPolicy, Role, ...) against fabric8's typed
 * model, which follows the Kubernetes OpenAPI: the object is read into its typed class, and every
 * field the model does not know (kept by fabric8 as an "additional property") is an error, as a
 * strict API server refuses it. For CRD kinds use {@link CrdSchemas}; {@link #errors} picks.
 */
public final class TypedKinds {
    private TypedKinds() {
    }

    /** Every problem of one object, whichever schema its kind has: the published CRD or fabric8's typed model. */
    public static List<String> errors(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (apiVersion.contains("/") && CrdSchemas.isPublished(apiVersion, kind)) {
            return CrdSchemas.errors(object);
        }
        KubernetesResource typed = Serialization.unmarshal(object.toString(), KubernetesResource.class);
        if (typed instanceof GenericKubernetesResource) {
            return List.of(apiVersion + " " + kind + ": no published CRD and no typed model; cannot be checked");
        }
        List<String> errors = new ArrayList<>();
        unknownFields(typed, "", errors, new IdentityHashMap<>());
        return errors;
    }

    /** Every document of a YAML stream checked; each error prefixed by kind/name. */
    public static List<String> errorsInYaml(String yaml) {
        List<String> errors = new ArrayList<>();
        for (JsonNode document : CrdSchemas.documents(yaml)) {
            String name = document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
            errors(document).forEach(error -> errors.add(name + ": " + error));
        }
        return errors;
    }

    private static void unknownFields(Object node, String path, List<String> errors, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", errors, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, errors, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> errors.add((path.isEmpty() ? "" : path + ".") + key + ": unknown field"));
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(value, path.isEmpty() ? field : path + "." + field, errors, seen);
        }
    }
}
