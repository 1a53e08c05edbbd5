package dev.relaylink.azure.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The published event samples under testing/src/main/resources/events, as the Event Grid trigger hands them over, and edited copies. */
final class Events {
    static final String PEC_WRITE_EVENT_GRID = "resource-write-success-pec.eventgrid.json";
    static final String PEC_WRITE_CLOUD_EVENTS = "resource-write-success-pec.cloudevents.json";
    static final String NEAR_EXPIRY_EVENT_GRID = "certificate-near-expiry.eventgrid.json";
    static final String NEAR_EXPIRY_CLOUD_EVENTS = "certificate-near-expiry.cloudevents.json";
    static final String EXPIRED_EVENT_GRID = "certificate-expired.eventgrid.json";
    static final String EXPIRED_CLOUD_EVENTS = "certificate-expired.cloudevents.json";
    /** The connection the PEC samples name. */
    static final String SAMPLE_CONNECTION = "aks-relay-pe.8a7c5a43-6d2b-4f0e-9b61-3f0b8de5c2a1";

    private Events() {
    }

    static String text(String file) {
        try (InputStream in = Events.class.getResourceAsStream("/events/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no event sample " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode json(String file) {
        try {
            return (ObjectNode) JsonLines.JSON.readTree(text(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample with {@code edit} applied to a copy, serialised again. */
    static String edited(String file, Consumer<ObjectNode> edit) {
        ObjectNode event = json(file);
        edit.accept(event);
        return event.toString();
    }

    static ObjectNode data(JsonNode event) {
        return (ObjectNode) event.get("data");
    }

    /** The PEC write sample about {@code connection} on the spec's Private Link Service. */
    static String pecWrite(String file, String id, String connection) {
        return edited(file, event -> {
            String resource = event.get("subject").asText().replace(SAMPLE_CONNECTION, connection);
            event.put("id", id).put("subject", resource);
            data(event).put("resourceUri", resource);
        });
    }

    static boolean isCloudEvent(String file) {
        return file.contains("cloudevents");
    }
}
