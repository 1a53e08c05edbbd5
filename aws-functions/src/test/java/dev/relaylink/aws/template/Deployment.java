package dev.relaylink.aws.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One imagined deployment of template.yaml: parameter values (or their defaults), the pseudo
 * parameters, and the physical ids and attributes CloudFormation would have given the resources.
 * Resolves the intrinsic functions the template uses, so a test sees a pattern or an environment
 * variable as it is on AWS. An intrinsic or a reference it does not know is an error, never a guess.
 */
public final class Deployment {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]+)}");

    private final CloudFormationTemplate template;
    private final String region;
    private final String accountId;
    private final Map<String, JsonNode> parameterValues = new HashMap<>();
    private final Map<String, String> physicalIds = new HashMap<>();
    private final Map<String, String> attributes = new HashMap<>();

    public Deployment(CloudFormationTemplate template, String region, String accountId) {
        this.template = template;
        this.region = region;
        this.accountId = accountId;
    }

    public Deployment parameter(String name, String value) {
        requireParameter(name);
        parameterValues.put(name, NODES.textNode(value));
        return this;
    }

    public Deployment listParameter(String name, String... values) {
        requireParameter(name);
        ArrayNode list = NODES.arrayNode();
        for (String value : values) {
            list.add(value);
        }
        parameterValues.put(name, list);
        return this;
    }

    /** What {@code Ref} of a resource returns on AWS (an ARN for an NLB, a name for an alarm, ...). */
    public Deployment resource(String logicalId, String physicalId) {
        requireResource(logicalId);
        physicalIds.put(logicalId, physicalId);
        return this;
    }

    public Deployment attribute(String logicalId, String attribute, String value) {
        requireResource(logicalId);
        attributes.put(logicalId + "." + attribute, value);
        return this;
    }

    public JsonNode resolve(JsonNode node) {
        if (node instanceof ObjectNode object && object.size() == 1) {
            Map.Entry<String, JsonNode> only = object.properties().iterator().next();
            String key = only.getKey();
            JsonNode argument = only.getValue();
            switch (key) {
                case "Ref":
                    return ref(argument.asText());
                case "Fn::GetAtt":
                    return NODES.textNode(attribute(argument.get(0).asText(), argument.get(1).asText()));
                case "Fn::Sub":
                    return NODES.textNode(sub(argument));
                case "Fn::Join":
                    return NODES.textNode(join(argument));
                case "Fn::If":
                    return resolve(condition(argument.get(0).asText()) ? argument.get(1) : argument.get(2));
                default:
                    if (key.startsWith("Fn::")) {
                        throw new IllegalArgumentException("the test deployment does not resolve " + key);
                    }
            }
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = NODES.objectNode();
            object.properties().forEach(e -> copy.set(e.getKey(), resolve(e.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = NODES.arrayNode();
            array.forEach(item -> copy.add(resolve(item)));
            return copy;
        }
        return node;
    }

    private JsonNode ref(String name) {
        switch (name) {
            case "AWS::Region":
                return NODES.textNode(region);
            case "AWS::AccountId":
                return NODES.textNode(accountId);
            case "AWS::Partition":
                return NODES.textNode("aws");
            default:
                break;
        }
        if (template.parameters().has(name)) {
            JsonNode value = parameterValues.get(name);
            if (value != null) {
                return value;
            }
            JsonNode declared = template.parameters().get(name);
            if (!declared.has("Default")) {
                throw new IllegalArgumentException("parameter " + name + " has no default and the test deployment gives it no value");
            }
            JsonNode fallback = declared.get("Default");
            return declared.path("Type").asText().equals("CommaDelimitedList") ? splitList(fallback.asText()) : NODES.textNode(fallback.asText());
        }
        String physical = physicalIds.get(name);
        if (physical == null) {
            throw new IllegalArgumentException("the test deployment has no physical id for resource " + name);
        }
        return NODES.textNode(physical);
    }

    private String attribute(String logicalId, String attribute) {
        String value = attributes.get(logicalId + "." + attribute);
        if (value == null) {
            throw new IllegalArgumentException("the test deployment has no value for " + logicalId + "." + attribute);
        }
        return value;
    }

    private String sub(JsonNode argument) {
        String text = argument.isArray() ? argument.get(0).asText() : argument.asText();
        Map<String, String> local = new HashMap<>();
        if (argument.isArray()) {
            argument.get(1).properties().forEach(e -> local.put(e.getKey(), resolve(e.getValue()).asText()));
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(2);
            String replacement;
            if (!matcher.group(1).isEmpty()) {
                replacement = "${" + name + "}"; // ${!Literal} stays literal
            } else if (local.containsKey(name)) {
                replacement = local.get(name);
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                int dot = name.indexOf('.');
                replacement = attribute(name.substring(0, dot), name.substring(dot + 1));
            } else {
                replacement = scalar(ref(name), name);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String join(JsonNode argument) {
        String separator = argument.get(0).asText();
        JsonNode items = resolve(argument.get(1));
        StringBuilder out = new StringBuilder();
        for (Iterator<JsonNode> it = items.elements(); it.hasNext(); ) {
            out.append(it.next().asText());
            if (it.hasNext()) {
                out.append(separator);
            }
        }
        return out.toString();
    }

    private boolean condition(String name) {
        JsonNode definition = template.root().path("Conditions").get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return evaluate(definition);
    }

    private boolean evaluate(JsonNode condition) {
        Map.Entry<String, JsonNode> only = condition.properties().iterator().next();
        JsonNode argument = only.getValue();
        return switch (only.getKey()) {
            case "Fn::Equals" -> resolve(argument.get(0)).asText().equals(resolve(argument.get(1)).asText());
            case "Fn::Not" -> !evaluate(argument.get(0));
            case "Condition" -> condition(argument.asText());
            default -> throw new IllegalArgumentException("the test deployment does not evaluate " + only.getKey());
        };
    }

    private static String scalar(JsonNode value, String name) {
        if (!value.isValueNode()) {
            throw new IllegalArgumentException(name + " is a list: Fn::Sub cannot insert it without Fn::Join");
        }
        return value.asText();
    }

    private static ArrayNode splitList(String text) {
        ArrayNode list = NODES.arrayNode();
        for (String item : text.split(",")) {
            list.add(item.trim());
        }
        return list;
    }

    private void requireParameter(String name) {
        if (!template.parameters().has(name)) {
            throw new IllegalArgumentException("template.yaml has no parameter " + name);
        }
    }

    private void requireResource(String logicalId) {
        if (!template.root().path("Resources").has(logicalId)) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
    }
}
