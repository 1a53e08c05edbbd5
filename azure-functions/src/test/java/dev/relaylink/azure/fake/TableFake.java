package dev.relaylink.azure.fake;

import static dev.relaylink.azure.fake.AzureFake.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.azure.fake.AzureFake.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Table service of one storage account (REST, JSON), as far as the Tables SDK uses it for
 * relay-link's claims and leases: create table, insert entity (409 EntityAlreadyExists), get entity
 * (404 ResourceNotFound), update (PUT) and merge (PATCH/MERGE) with If-Match (412
 * UpdateConditionNotSatisfied, 404 when absent) or without it (insert or replace/merge), delete
 * with If-Match, and 404 TableNotFound for a table that does not exist. Every write gives the row a
 * new ETag. Errors have the service's shape: {@code {"odata.error": {"code", "message": {"lang", "value"}}}}.
 * Requests arrive path-style, as the SDK sends them to a non-Azure host: {@code /<account>/<table>...}.
 */
public final class TableFake {
    public static final String ACCOUNT = "relaylinkfunctions";
    private static final Pattern ENTITY = Pattern.compile("([A-Za-z][A-Za-z0-9]{2,62})\\(PartitionKey='((?:[^']|'')*)',RowKey='((?:[^']|'')*)'\\)");
    private static final Pattern TABLE = Pattern.compile("([A-Za-z][A-Za-z0-9]{2,62})(\\(\\))?");

    /** A table request: its method, the path after the account (decoded), the headers that matter here, the body and the decoded query. */
    record TableRequest(String method, String path, String ifMatch, String prefer, JsonNode body, String query) {
    }

    /** The one query filter modelled: all rows of one partition ({@code $filter=PartitionKey eq '...'}). */
    private static final Pattern PARTITION_FILTER = Pattern.compile("(?:^|&)\\$filter=PartitionKey eq '((?:[^']|'')*)'(?:&|$)");

    private record Row(ObjectNode properties, String etag, Instant timestamp) {
    }

    private final Map<String, Map<String, Row>> tables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private Instant lastWrite = Instant.EPOCH;

    // ----- what tests read -----

    /** A row's properties as stored (with their {@code @odata.type} annotations), if it exists. */
    public synchronized Optional<JsonNode> row(String table, String partitionKey, String rowKey) {
        return Optional.ofNullable(tables.getOrDefault(table, Map.of()).get(key(partitionKey, rowKey))).map(r -> r.properties().deepCopy());
    }

    public synchronized List<String> tableNames() {
        return List.copyOf(tables.keySet());
    }

    // ----- REST -----

    synchronized Response handle(TableRequest request) {
        String path = request.path();
        if (path.equals("Tables") || path.equals("Tables()")) {
            return request.method().equals("POST") ? createTable(request) : notModelled(request);
        }
        Matcher entity = ENTITY.matcher(path);
        if (entity.matches()) {
            Map<String, Row> table = tables.get(entity.group(1));
            if (table == null) {
                return error(404, "TableNotFound", "The table specified does not exist.");
            }
            String partitionKey = entity.group(2).replace("''", "'");
            String rowKey = entity.group(3).replace("''", "'");
            return switch (request.method()) {
                case "GET" -> get(table, partitionKey, rowKey);
                case "PUT" -> write(table, partitionKey, rowKey, request, false);
                case "PATCH", "MERGE" -> write(table, partitionKey, rowKey, request, true);
                case "DELETE" -> delete(table, partitionKey, rowKey, request);
                default -> notModelled(request);
            };
        }
        Matcher insert = TABLE.matcher(path);
        if (insert.matches() && request.method().equals("GET")) {
            return query(tables.get(insert.group(1)), request);
        }
        if (insert.matches() && request.method().equals("POST")) {
            Map<String, Row> table = tables.get(insert.group(1));
            if (table == null) {
                return error(404, "TableNotFound", "The table specified does not exist.");
            }
            return insert(table, request);
        }
        return notModelled(request);
    }

    private Response createTable(TableRequest request) {
        String name = request.body().path("TableName").asText("");
        if (!TABLE.matcher(name).matches() || name.endsWith("()")) {
            return error(400, "InvalidResourceName", "The specifed resource name contains invalid characters.");
        }
        if (tables.containsKey(name)) {
            return error(409, "TableAlreadyExists", "The table specified already exists.");
        }
        tables.put(name, new LinkedHashMap<>());
        ObjectNode body = JSON.objectNode().put("TableName", name);
        return returnContent(request) ? new Response(201, body, Map.of()) : new Response(204, null, Map.of("Preference-Applied", "return-no-content"));
    }

    private Response insert(Map<String, Row> table, TableRequest request) {
        JsonNode body = request.body();
        String partitionKey = body.path("PartitionKey").asText(null);
        String rowKey = body.path("RowKey").asText(null);
        if (partitionKey == null || rowKey == null) {
            return error(400, "PropertiesNeedValue", "The values are not specified for all properties in the entity.");
        }
        if (table.containsKey(key(partitionKey, rowKey))) {
            return error(409, "EntityAlreadyExists", "The specified entity already exists.");
        }
        Row row = store(table, partitionKey, rowKey, (ObjectNode) body.deepCopy());
        return returnContent(request) ? new Response(201, entityJson(row), Map.of("ETag", row.etag()))
                : new Response(204, null, Map.of("ETag", row.etag(), "Preference-Applied", "return-no-content"));
    }

    /** Query Entities for one partition, in one page (the claims of one link are few). */
    private Response query(Map<String, Row> table, TableRequest request) {
        if (table == null) {
            return error(404, "TableNotFound", "The table specified does not exist.");
        }
        Matcher filter = PARTITION_FILTER.matcher(request.query());
        if (!filter.find()) {
            return notModelled(request);
        }
        String partitionKey = filter.group(1).replace("''", "'");
        ObjectNode body = JSON.objectNode();
        var value = body.putArray("value");
        table.values().stream().filter(row -> row.properties().path("PartitionKey").asText().equals(partitionKey))
                .forEach(row -> value.add(entityJson(row)));
        return new Response(200, body, Map.of());
    }

    private Response get(Map<String, Row> table, String partitionKey, String rowKey) {
        Row row = table.get(key(partitionKey, rowKey));
        if (row == null) {
            return error(404, "ResourceNotFound", "The specified resource does not exist.");
        }
        return new Response(200, entityJson(row), Map.of("ETag", row.etag()));
    }

    private Response write(Map<String, Row> table, String partitionKey, String rowKey, TableRequest request, boolean merge) {
        Row current = table.get(key(partitionKey, rowKey));
        String ifMatch = request.ifMatch();
        if (ifMatch != null) {
            if (current == null) {
                return error(404, "ResourceNotFound", "The specified resource does not exist.");
            }
            if (!ifMatch.equals("*") && !ifMatch.equals(current.etag())) {
                return error(412, "UpdateConditionNotSatisfied", "The update condition specified in the request was not satisfied.");
            }
        }
        ObjectNode properties = merge && current != null ? current.properties().deepCopy() : JSON.objectNode();
        request.body().properties().forEach(e -> {
            if (!e.getKey().startsWith("odata.")) {
                properties.set(e.getKey(), e.getValue());
            }
        });
        properties.put("PartitionKey", partitionKey).put("RowKey", rowKey);
        Row row = store(table, partitionKey, rowKey, properties);
        return new Response(204, null, Map.of("ETag", row.etag()));
    }

    private Response delete(Map<String, Row> table, String partitionKey, String rowKey, TableRequest request) {
        Row current = table.get(key(partitionKey, rowKey));
        if (current == null) {
            return error(404, "ResourceNotFound", "The specified resource does not exist.");
        }
        String ifMatch = request.ifMatch();
        if (ifMatch == null) {
            return error(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified.");
        }
        if (!ifMatch.equals("*") && !ifMatch.equals(current.etag())) {
            return error(412, "UpdateConditionNotSatisfied", "The update condition specified in the request was not satisfied.");
        }
        table.remove(key(partitionKey, rowKey));
        return new Response(204, null, Map.of());
    }

    private Row store(Map<String, Row> table, String partitionKey, String rowKey, ObjectNode properties) {
        properties.remove("odata.etag");
        properties.remove("Timestamp");
        properties.remove("Timestamp@odata.type");
        // Each write a later timestamp, and the ETag made of it, as the service does.
        Instant now = Instant.now();
        lastWrite = now.isAfter(lastWrite) ? now : lastWrite.plusNanos(1000);
        String etag = "W/\"datetime'" + lastWrite.toString().replace(":", "%3A") + "'\"";
        Row row = new Row(properties, etag, lastWrite);
        table.put(key(partitionKey, rowKey), row);
        return row;
    }

    private static ObjectNode entityJson(Row row) {
        ObjectNode json = JSON.objectNode();
        json.put("odata.etag", row.etag());
        json.setAll(row.properties().deepCopy());
        json.put("Timestamp", row.timestamp().toString());
        return json;
    }

    private static boolean returnContent(TableRequest request) {
        return request.prefer() == null || !request.prefer().contains("return-no-content");
    }

    private static String key(String partitionKey, String rowKey) {
        return partitionKey + "\u0000" + rowKey;
    }

    static Response error(int status, String code, String message) {
        ObjectNode body = JSON.objectNode();
        body.putObject("odata.error").put("code", code).putObject("message").put("lang", "en-US")
                .put("value", message + "\nRequestId:" + java.util.UUID.randomUUID() + "\nTime:" + Instant.now());
        return new Response(status, body, Map.of("x-ms-error-code", code));
    }

    private static Response notModelled(TableRequest request) {
        return error(400, "NotImplemented", "the fake does not model " + request.method() + " " + request.path());
    }

    /** Decodes %XX escapes only: in a path, '+' is a plus. */
    static String decodePath(String raw) {
        List<Byte> bytes = new ArrayList<>();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.add((byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    bytes.add(b);
                }
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }
}
