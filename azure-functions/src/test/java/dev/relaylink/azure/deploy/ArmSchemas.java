package dev.relaylink.azure.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.relaylink.audit.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The published ARM template schemas in {@code ../shared/schemas/arm} (draft-04), as ARM checks a
 * resource: a resource {@code {type: "Microsoft.X/y/z", apiVersion: V}} against
 * {@code V/Microsoft.X*.json#/resourceDefinitions/y_z} (or its extension resource definition), with
 * {@code https://schema.management.azure.com/schemas/...} references read from the same folder and
 * template expressions matching {@code common/definitions.json#/definitions/expression}. Unknown
 * properties are refused: every object schema that lists its properties is closed
 * ({@code additionalProperties: false}), as ARM's what-if and the resource providers refuse them.
 */
final class ArmSchemas {
    static final String PREFIX = "https://schema.management.azure.com/schemas/";
    /** Keys every template resource may carry whatever its type (deploymentTemplate.json's resourceBase): not the provider's. */
    static final Set<String> TEMPLATE_KEYS = Set.of("condition", "dependsOn", "copy", "comments", "scope", "apiProfile");
    private static final List<String> SCHEMA_MAPS = List.of("properties", "definitions", "resourceDefinitions",
            "extension_resourceDefinitions", "unknown_resourceDefinitions", "patternProperties");
    private static final List<String> SCHEMA_LISTS = List.of("oneOf", "anyOf", "allOf");

    private final Path root;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    ArmSchemas(Path root) {
        this.root = root;
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4, builder -> builder.schemas(this::closedSchema));
    }

    /** Where the schemas live beside the project: {@code ../shared/schemas/arm} from the repository root. */
    static ArmSchemas published() {
        Path root = Path.of("..", "..", "shared", "schemas", "arm");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("the published ARM schemas are not at " + root.toAbsolutePath().normalize());
        }
        return new ArmSchemas(root);
    }

    /** The schema file and definition that describe {@code type} at {@code apiVersion}, if the published schemas have one. */
    Optional<String> definitionOf(String type, String apiVersion) {
        String[] segments = type.split("/");
        String namespace = segments[0];
        String key = String.join("_", List.of(segments).subList(1, segments.length));
        Path folder = root.resolve(apiVersion);
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.equals(namespace + ".json") && !name.startsWith(namespace + ".")) {
                    continue;
                }
                JsonNode schema = JsonLines.JSON.readTree(file.toFile());
                for (String section : List.of("resourceDefinitions", "extension_resourceDefinitions")) {
                    if (schema.path(section).has(key)) {
                        return Optional.of(PREFIX + apiVersion + "/" + name + "#/" + section + "/" + key);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }

    /** Whether any API version of the published schemas describes {@code type}. */
    boolean describesAnyVersionOf(String type) {
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(Files::isDirectory).anyMatch(v -> definitionOf(type, v.getFileName().toString()).isPresent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema's complaints about {@code resource} (one resource of a template, as written). */
    List<String> validate(JsonNode resource, String definition) {
        ObjectNode checked = resource.deepCopy();
        checked.remove(TEMPLATE_KEYS);
        Schema schema = schemas.computeIfAbsent(definition, d -> registry.getSchema(SchemaLocation.of(d)));
        return schema.validate(checked).stream().map(Error::toString).toList();
    }

    /** A schema document as published, closed against unknown properties; null for anything not under {@link #PREFIX}. */
    private String closedSchema(String iri) {
        if (!iri.startsWith(PREFIX)) {
            return null;
        }
        String relative = iri.substring(PREFIX.length());
        int fragment = relative.indexOf('#');
        Path file = root.resolve(fragment < 0 ? relative : relative.substring(0, fragment));
        try {
            JsonNode document = JsonLines.JSON.readTree(file.toFile());
            close(document);
            return JsonLines.JSON.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Closes every schema below {@code node} that lists properties and says nothing about others. */
    private static void close(JsonNode node) {
        if (!node.isObject()) {
            return;
        }
        ObjectNode schema = (ObjectNode) node;
        boolean discriminated = schema.path("oneOf").isArray() && schema.path("properties").isObject();
        if (discriminated) {
            // A base type whose subtypes are the branches (endpointType: AzureFunction, ...): the branches are closed,
            // each with the base's properties added, and the base stays open so the branch decides.
            for (JsonNode branch : schema.path("oneOf")) {
                if (branch.path("properties").isObject()) {
                    schema.path("properties").fields().forEachRemaining(f -> ((ObjectNode) branch.path("properties")).putIfAbsent(f.getKey(), f.getValue()));
                }
            }
        } else if (schema.path("properties").isObject() && !schema.has("additionalProperties")) {
            schema.put("additionalProperties", false);
        }
        for (String map : SCHEMA_MAPS) {
            for (Iterator<JsonNode> it = schema.path(map).elements(); it.hasNext(); ) {
                close(it.next());
            }
        }
        for (String list : SCHEMA_LISTS) {
            schema.path(list).forEach(ArmSchemas::close);
        }
        JsonNode items = schema.path("items");
        if (items.isArray()) {
            items.forEach(ArmSchemas::close);
        } else {
            close(items);
        }
        close(schema.path("additionalProperties"));
        close(schema.path("not"));
    }
}
