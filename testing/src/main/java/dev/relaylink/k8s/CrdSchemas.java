package dev.relaylink.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Checks an object against the published CustomResourceDefinition of its kind, as a strict API
 * server would: the CRDs come unchanged from ../shared/schemas/kubernetes (beside the project
 * root); the served version's {@code openAPIV3Schema} is closed (every object schema that lists
 * {@code properties} refuses unknown fields, unless it says {@code x-kubernetes-preserve-unknown-fields})
 * and {@code metadata} is left to the built-in rules. CEL rules ({@code x-kubernetes-validations})
 * are not evaluated.
 *
 * <pre>{@code
 * List<String> errors = CrdSchemas.errors(object);   // Map, JsonNode or fabric8 resource
 * CrdSchemas.assertValid(object);                     // AssertionError listing every error
 * }</pre>
 */
public final class CrdSchemas {
    /** Overrides where the CRDs are read from (a folder of CRD YAML files). */
    public static final String DIRECTORY_PROPERTY = "relaylink.crd.dir";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
    private static final Map<String, Schema> BY_TYPE = new ConcurrentHashMap<>();

    private CrdSchemas() {
    }

    /**
     * Every way {@code object} breaks the published schema of its {@code apiVersion}/{@code kind},
     * one readable line each ({@code /spec/tls/clientValidation: property 'subjectAltName' is not defined in the schema ...});
     * empty when it is valid. Fails when no CRD for that type is published.
     */
    public static List<String> errors(Object object) {
        JsonNode node = object instanceof JsonNode json ? json : JSON.valueToTree(object);
        String apiVersion = node.path("apiVersion").asText("");
        String kind = node.path("kind").asText("");
        Schema schema = BY_TYPE.computeIfAbsent(apiVersion + "/" + kind, key -> load(apiVersion, kind));
        List<String> errors = new ArrayList<>();
        for (Error error : schema.validate(node)) {
            errors.add(error.toString());
        }
        return errors;
    }

    /** Throws an AssertionError naming the object and listing every schema error. */
    public static void assertValid(Object object) {
        List<String> errors = errors(object);
        if (!errors.isEmpty()) {
            JsonNode node = object instanceof JsonNode json ? json : JSON.valueToTree(object);
            throw new AssertionError(node.path("kind").asText() + " " + node.path("metadata").path("name").asText()
                    + " does not match its published schema:\n  " + String.join("\n  ", errors));
        }
    }

    /** Every document of a YAML stream checked: each error prefixed by the document's kind/name. */
    public static List<String> errorsInYaml(String yaml) {
        List<String> errors = new ArrayList<>();
        for (JsonNode document : documents(yaml)) {
            String name = document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
            for (String error : errors(document)) {
                errors.add(name + ": " + error);
            }
        }
        return errors;
    }

    /** Whether a CRD for this apiVersion/kind is published in the schema folder. */
    public static boolean isPublished(String apiVersion, String kind) {
        try {
            BY_TYPE.computeIfAbsent(apiVersion + "/" + kind, key -> load(apiVersion, kind));
            return true;
        } catch (IllegalArgumentException notPublished) {
            return false;
        }
    }

    /** The folder of published CRDs: ../shared/schemas/kubernetes seen from the project root. */
    public static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("schemas").resolve("kubernetes");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no ../shared/schemas/kubernetes above " + Path.of("").toAbsolutePath()
                + " (set -D" + DIRECTORY_PROPERTY + ")");
    }

    static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    private static Schema load(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("no CRD for " + apiVersion + " " + kind + ": a built-in kind (check it with fabric8's typed model)");
        }
        String group = apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        try (Stream<Path> files = Files.list(directory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode crd : documents(Files.readString(file))) {
                    JsonNode spec = crd.path("spec");
                    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())
                            || !group.equals(spec.path("group").asText())
                            || !kind.equals(spec.path("names").path("kind").asText())) {
                        continue;
                    }
                    for (JsonNode served : spec.path("versions")) {
                        if (version.equals(served.path("name").asText()) && served.path("served").asBoolean(true)) {
                            ObjectNode schema = served.path("schema").path("openAPIV3Schema").deepCopy();
                            close(schema);
                            // Built-in rules cover metadata; the CRD only says it is an object.
                            ((ObjectNode) schema.path("properties")).set("metadata", JSON.createObjectNode().put("type", "object"));
                            schema.set("required", JSON.createArrayNode().add("apiVersion").add("kind"));
                            ((ObjectNode) schema.path("properties").path("apiVersion")).putArray("enum").add(apiVersion);
                            ((ObjectNode) schema.path("properties").path("kind")).putArray("enum").add(kind);
                            return REGISTRY.getSchema(schema);
                        }
                    }
                    throw new IllegalArgumentException(file.getFileName() + " does not serve " + apiVersion);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no published CRD for " + apiVersion + " " + kind + " in " + directory());
    }

    /**
     * Refuses unknown fields the way strict field validation does. Only the structural positions
     * are closed (properties, items, additionalProperties): a schema inside allOf/anyOf/oneOf/not
     * may list a subset of its parent's fields and must stay open.
     */
    private static void close(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return;
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.isObject()) {
            if (!schema.has("additionalProperties") && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                schema.put("additionalProperties", false);
            }
            properties.forEach(CrdSchemas::close);
        }
        close(schema.get("items"));
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            close(additional);
        }
    }
}
