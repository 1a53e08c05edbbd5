package dev.relaylink.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logging as one JSON object per line, the form CloudWatch Logs Insights and
 * Application Insights query. Records carry identifiers and reasons, never key material.
 */
public final class JsonLines implements AuditLog {
    /** The one JSON mapper of relay-link. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final PrintStream out;

    public JsonLines(PrintStream out) {
        this.out = out;
    }

    public static JsonLines stdout() {
        return new JsonLines(System.out);
    }

    @Override
    public void record(AuditRecord record) {
        print("audit", JSON.convertValue(record, Map.class));
    }

    /** Writes {@code fields} as one JSON line, {@code "type": type} first. */
    public void print(String type, Map<?, ?> fields) {
        Map<Object, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        line.putAll(fields);
        try {
            out.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
