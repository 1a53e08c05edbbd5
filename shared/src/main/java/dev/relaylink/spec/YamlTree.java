package dev.relaylink.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document as plain mappings, sequences and scalars, built from Jackson's YAML token stream.
 * Built by hand rather than with {@code readTree} because the reader needs what a tree loses: the
 * scalar as written ({@code 011122223333} stays an account id, not an octal number), which scalars
 * YAML turned into booleans ({@code on}, {@code no}), duplicate keys (Jackson keeps the last one
 * silently) and aliases (Jackson returns the alias name as a string).
 */
final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();
    /** A link spec nests four levels deep; the cap keeps the recursive build far from the thread's stack limit. */
    static final int MAX_DEPTH = 32;

    sealed interface Node permits Mapping, Sequence, Scalar {
        int line();
    }

    record Mapping(Map<String, Node> entries, int line) implements Node {
    }

    record Sequence(List<Node> items, int line) implements Node {
    }

    /** {@code text} is the scalar as written in the document (for NULL: empty or {@code ~}). */
    record Scalar(String text, Kind kind, int line) implements Node {
    }

    enum Kind {
        STRING, NUMBER, BOOLEAN, NULL,
        /** Already reported (an alias, a binary value): validation skips it without a second error. */
        INVALID
    }

    /** The root node, or null when the document is empty; problems the tree already shows go to {@code errors}. */
    static Node parse(String yaml, String source, List<SpecError> errors) {
        try (YAMLParser parser = (YAMLParser) YAML.createParser(yaml)) {
            if (parser.nextToken() == null) {
                return null;
            }
            Node root = new YamlTree(parser, source, errors).node("", 0);
            if (parser.nextToken() != null) {
                errors.add(new SpecError("", "the input holds more than one YAML document (the second has content on line "
                        + parser.currentTokenLocation().getLineNr() + "); a link spec is one document"));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new SpecException(source, List.of(new SpecError("", syntaxError(e))));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from a String: not expected
        }
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String item(String path, int index) {
        return path + "[" + index + "]";
    }

    private final YAMLParser parser;
    private final String source;
    private final List<SpecError> errors;

    private YamlTree(YAMLParser parser, String source, List<SpecError> errors) {
        this.parser = parser;
        this.source = source;
        this.errors = errors;
    }

    /** Reads the value starting at the current token. */
    private Node node(String path, int depth) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        if (depth > MAX_DEPTH) {
            throw new SpecException(source, List.of(new SpecError("",
                    "the YAML nests deeper than " + MAX_DEPTH + " levels (line " + line + "); a link spec needs four")));
        }
        if (parser.isCurrentAlias()) {
            errors.add(new SpecError(path, "YAML aliases (*" + parser.getText() + " on line " + line
                    + ") are not supported in a link spec; write the value out"));
            return new Scalar(parser.getText(), Kind.INVALID, line);
        }
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> mapping(path, line, depth);
            case START_ARRAY -> sequence(path, line, depth);
            case VALUE_STRING -> new Scalar(parser.getText(), Kind.STRING, line);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Scalar(parser.getText(), Kind.NUMBER, line);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(parser.getText(), Kind.BOOLEAN, line);
            case VALUE_NULL -> new Scalar(parser.getText(), Kind.NULL, line);
            default -> {
                errors.add(new SpecError(path, "unsupported YAML value on line " + line + " (" + token + "); use plain text"));
                yield new Scalar("", Kind.INVALID, line);
            }
        };
    }

    private Node mapping(String path, int line, int depth) throws IOException {
        Map<String, Node> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            Node value = node(child(path, key), depth + 1);
            Node first = entries.putIfAbsent(key, value);
            if (first != null) {
                errors.add(new SpecError(child(path, key), "duplicate key (lines " + first.line() + " and " + value.line() + ")"));
            }
        }
        return new Mapping(Collections.unmodifiableMap(entries), line);
    }

    private Node sequence(String path, int line, int depth) throws IOException {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(node(item(path, items.size()), depth + 1));
        }
        return new Sequence(List.copyOf(items), line);
    }

    /** "YAML syntax error at line L, column C: problem (context)", from SnakeYAML's marks where present. */
    private static String syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String context = marked.getContext() == null ? ""
                    : " (" + marked.getContext() + at(marked.getContextMark(), " started at ") + ")";
            return "YAML syntax error" + at(marked.getProblemMark(), " at ") + ": " + marked.getProblem() + context;
        }
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage().lines().findFirst().orElse("");
        return "YAML syntax error" + where + ": " + message;
    }

    private static String at(Mark mark, String prefix) {
        return mark == null ? "" : prefix + "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }
}
