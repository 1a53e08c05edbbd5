package dev.relaylink.aws.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * EC2's endpoint-connection calls that the emulator lacks ({@code DescribeVpcEndpointConnections},
 * {@code AcceptVpcEndpointConnections}, {@code RejectVpcEndpointConnections}), answered on 127.0.0.1
 * in EC2's documented Query/XML wire format, so the real SDK client and its unmarshaller run. Every
 * other EC2 action is forwarded unchanged to the emulator, so one EC2 client sees one EC2.
 * Connections are kept here, as EC2 would: tests seed pending ones and read states back.
 */
public final class Ec2ConnectionStub implements AutoCloseable {
    private static final String XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /** One interface endpoint's connection to an endpoint service, as EC2 keeps it. */
    public record Connection(String serviceId, String vpcEndpointId, String owner, String state) {
    }

    /** One Accept or Reject call as it arrived. */
    public record Call(String action, String serviceId, List<String> vpcEndpointIds) {
    }

    private final HttpServer server;
    private final Optional<URI> forwardTo;
    private final HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> actions = new CopyOnWriteArrayList<>();
    private final int pageSize;

    private Ec2ConnectionStub(Optional<URI> forwardTo, int pageSize) throws IOException {
        this.forwardTo = forwardTo;
        this.pageSize = pageSize;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @param forwardTo the emulator for every other EC2 action (empty: those answer with an error) */
    public static Ec2ConnectionStub start(Optional<URI> forwardTo, int pageSize) throws IOException {
        return new Ec2ConnectionStub(forwardTo, pageSize);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public synchronized void connect(String serviceId, String vpcEndpointId, String owner) {
        connections.put(vpcEndpointId, new Connection(serviceId, vpcEndpointId, owner, "pendingAcceptance"));
    }

    public synchronized String state(String vpcEndpointId) {
        Connection connection = connections.get(vpcEndpointId);
        return connection == null ? null : connection.state();
    }

    public synchronized List<Connection> connections() {
        return List.copyOf(connections.values());
    }

    /** The Accept and Reject calls received, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Every EC2 action received, answered here or forwarded. */
    public List<String> actions() {
        return List.copyOf(actions);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> form = parseForm(new String(body, StandardCharsets.UTF_8));
            String action = first(form, "Action").orElse("");
            actions.add(action);
            switch (action) {
                case "DescribeVpcEndpointConnections" -> reply(exchange, 200, describe(form));
                case "AcceptVpcEndpointConnections" -> reply(exchange, 200, decide(form, action, "available"));
                case "RejectVpcEndpointConnections" -> reply(exchange, 200, decide(form, action, "rejected"));
                default -> forward(exchange, body);
            }
        }
    }

    private synchronized String describe(Map<String, List<String>> form) {
        List<String> serviceIds = filterValues(form, "service-id");
        List<String> states = filterValues(form, "vpc-endpoint-state");
        List<Connection> matching = connections.values().stream()
                .filter(c -> serviceIds.isEmpty() || serviceIds.contains(c.serviceId()))
                .filter(c -> states.isEmpty() || states.contains(c.state()))
                .toList();
        int max = first(form, "MaxResults").map(Integer::parseInt).orElse(1000);
        int page = Math.min(max, pageSize);
        int from = first(form, "NextToken").map(Integer::parseInt).orElse(0);
        int to = Math.min(matching.size(), from + page);
        StringBuilder xml = new StringBuilder("<vpcEndpointConnectionSet>");
        for (Connection c : matching.subList(from, to)) {
            xml.append("<item><serviceId>").append(c.serviceId()).append("</serviceId>")
                    .append("<vpcEndpointId>").append(c.vpcEndpointId()).append("</vpcEndpointId>")
                    .append("<vpcEndpointOwner>").append(c.owner()).append("</vpcEndpointOwner>")
                    .append("<vpcEndpointState>").append(c.state()).append("</vpcEndpointState>")
                    .append("<creationTimestamp>2026-11-24T09:12:31.000Z</creationTimestamp></item>");
        }
        xml.append("</vpcEndpointConnectionSet>");
        if (to < matching.size()) {
            xml.append("<nextToken>").append(to).append("</nextToken>");
        }
        return response("DescribeVpcEndpointConnectionsResponse", xml.toString());
    }

    /** Accept moves pending connections to available; reject moves pending or available ones to rejected. */
    private synchronized String decide(Map<String, List<String>> form, String action, String newState) {
        String serviceId = first(form, "ServiceId").orElse("");
        List<String> ids = indexed(form, "VpcEndpointId");
        calls.add(new Call(action, serviceId, ids));
        StringBuilder unsuccessful = new StringBuilder("<unsuccessful>");
        for (String id : ids) {
            Connection c = connections.get(id);
            boolean allowed = c != null && c.serviceId().equals(serviceId)
                    && (c.state().equals("pendingAcceptance") || (newState.equals("rejected") && c.state().equals("available")));
            if (allowed) {
                connections.put(id, new Connection(c.serviceId(), id, c.owner(), newState));
            } else {
                String code = c == null || !c.serviceId().equals(serviceId) ? "InvalidVpcEndpointId.NotFound" : "InvalidState";
                unsuccessful.append("<item><error><code>").append(code).append("</code><message>")
                        .append(c == null ? "The Vpc Endpoint Id '" + id + "' does not exist" : "Endpoint " + id + " is " + c.state())
                        .append("</message></error><resourceId>").append(id).append("</resourceId></item>");
            }
        }
        unsuccessful.append("</unsuccessful>");
        return response(action + "Response", unsuccessful.toString());
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        if (forwardTo.isEmpty()) {
            reply(exchange, 400, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>InvalidAction</Code>"
                    + "<Message>not served by this stub</Message></Error></Errors><RequestID>" + UUID.randomUUID() + "</RequestID></Response>");
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(forwardTo.get().resolve(exchange.getRequestURI().getRawPath()))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Content-Type", "Authorization", "X-Amz-Date", "X-Amz-Security-Token")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            HttpResponse<byte[]> response = forwarder.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            exchange.getResponseHeaders().set("Content-Type", response.headers().firstValue("Content-Type").orElse("text/xml"));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to the emulator", e);
        }
    }

    private static String response(String element, String content) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + element + " xmlns=\"" + XMLNS + "\"><requestId>"
                + UUID.randomUUID() + "</requestId>" + content + "</" + element + ">";
    }

    private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, List<String>> parseForm(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return form;
    }

    private static Optional<String> first(Map<String, List<String>> form, String key) {
        return Optional.ofNullable(form.get(key)).filter(v -> !v.isEmpty()).map(v -> v.get(0));
    }

    /** {@code Name.1=a&Name.2=b} in index order. */
    private static List<String> indexed(Map<String, List<String>> form, String name) {
        List<String> values = new ArrayList<>();
        for (int i = 1; form.containsKey(name + "." + i); i++) {
            values.add(form.get(name + "." + i).get(0));
        }
        return values;
    }

    /** The values of the filter named {@code filterName} ({@code Filter.N.Name} / {@code Filter.N.Value.M}). */
    private static List<String> filterValues(Map<String, List<String>> form, String filterName) {
        for (int i = 1; form.containsKey("Filter." + i + ".Name"); i++) {
            if (filterName.equals(form.get("Filter." + i + ".Name").get(0))) {
                return indexed(form, "Filter." + i + ".Value");
            }
        }
        return List.of();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
