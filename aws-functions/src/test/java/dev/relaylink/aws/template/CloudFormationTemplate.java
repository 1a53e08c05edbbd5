package dev.relaylink.aws.template;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * template.yaml as the JSON tree CloudFormation sees: the short intrinsic tags ({@code !Ref},
 * {@code !Sub}, {@code !GetAtt}, ...) become their long forms ({@code {"Ref": ...}},
 * {@code {"Fn::Sub": ...}}), so tests read the patterns and handlers from the template itself.
 */
public final class CloudFormationTemplate {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path file;
    private final ObjectNode root;

    private CloudFormationTemplate(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** The repository's template.yaml (its root comes from the build, see aws-functions/pom.xml). */
    public static CloudFormationTemplate ofRepository() {
        return load(repositoryRoot().resolve("template.yaml"));
    }

    public static Path repositoryRoot() {
        String configured = System.getProperty("relaylink.repositoryRoot");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
        return root.toAbsolutePath().normalize();
    }

    public static CloudFormationTemplate load(Path file) {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            parser.nextToken();
            JsonNode tree = read(parser);
            if (!(tree instanceof ObjectNode object)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            return new CloudFormationTemplate(file, object);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    public ObjectNode root() {
        return root;
    }

    public JsonNode parameters() {
        return root.path("Parameters");
    }

    public JsonNode globals() {
        return root.path("Globals").path("Function");
    }

    /** Resources of one type, by logical id, in template order. */
    public Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        root.path("Resources").properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    /** A function property, or the Globals value when the function does not set it (SAM's rule). */
    public JsonNode functionProperty(JsonNode function, String name) {
        JsonNode own = function.path("Properties").path(name);
        return own.isMissingNode() ? globals().path(name) : own;
    }

    private static JsonNode read(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId();
        JsonToken token = parser.currentToken();
        JsonNode value = switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, read(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> NODES.numberNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected YAML token " + token + " at " + parser.currentLocation());
        };
        return tag == null || tag.startsWith("tag:yaml.org") ? value : longForm(tag.startsWith("!") ? tag.substring(1) : tag, value);
    }

    /** CloudFormation's short form to its long form. */
    private static JsonNode longForm(String tag, JsonNode value) {
        ObjectNode function = NODES.objectNode();
        switch (tag) {
            case "Ref", "Condition" -> function.set(tag, value);
            case "GetAtt" -> {
                if (value.isTextual()) {
                    String text = value.asText();
                    int dot = text.indexOf('.');
                    function.set("Fn::GetAtt", NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1)));
                } else {
                    function.set("Fn::GetAtt", value);
                }
            }
            default -> function.set("Fn::" + tag, value);
        }
        return function;
    }
}
