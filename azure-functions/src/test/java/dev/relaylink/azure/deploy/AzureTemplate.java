package dev.relaylink.azure.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** deploy/azure/relay-link.json, the one ARM template of the Azure side, as tests read it. */
public record AzureTemplate(JsonNode json) {
    public static final Path FILE = Path.of("..", "deploy", "azure", "relay-link.json");

    public static AzureTemplate read() {
        try {
            return new AzureTemplate(JsonLines.JSON.readTree(FILE.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every resource, including those of nested deployments' inline templates. */
    public List<JsonNode> resources() {
        List<JsonNode> all = new ArrayList<>();
        collect(json.path("resources"), all);
        return all;
    }

    /** The resources of {@code type}. */
    public List<JsonNode> resources(String type) {
        return resources().stream().filter(r -> r.path("type").asText().equalsIgnoreCase(type)).toList();
    }

    private static void collect(JsonNode resources, List<JsonNode> into) {
        for (JsonNode resource : resources) {
            into.add(resource);
            collect(resource.path("properties").path("template").path("resources"), into);
        }
    }
}
