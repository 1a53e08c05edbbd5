package dev.relaylink.azure.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Credential;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A local HTTPS stand-in for the Azure REST APIs relay-link calls: Key Vault's data plane
 * ({@link KeyVaultFake}) and ARM's network and private DNS resources ({@link ArmFake}), served on
 * 127.0.0.1 as {@code https://localhost:<port>} with a certificate from a test CA that
 * {@link #clientTrust()} trusts. Like the real services it answers a request without a bearer
 * token with 401 (Key Vault's challenge names the vault resource), wants {@code api-version}, and
 * returns errors as {@code {"error": {"code", "message"}}}. Every request is recorded. Table Storage
 * (the claims and the link lock) is not faked: it runs on Azurite ({@link dev.relaylink.azure.emulator.Azurite}).
 */
public final class AzureFake implements AutoCloseable {
    /** The tenant the Key Vault challenge points at (Key Vault puts the vault's tenant there). */
    public static final String TENANT_ID = "00000000-0000-0000-0000-0000000000aa";
    public static final String VAULT_RESOURCE = "https://vault.azure.net";

    /** One request as the fake saw it: whether it carried a bearer token, its body's size, the answer's status. */
    public record RecordedRequest(String method, String path, boolean bearer, int bodyBytes, int status) {
    }

    record Request(String method, String path, Map<String, String> query, JsonNode body) {
        List<String> segments() {
            List<String> segments = new ArrayList<>();
            for (String s : path.split("/")) {
                if (!s.isEmpty()) {
                    segments.add(s);
                }
            }
            return segments;
        }
    }

    record Response(int status, JsonNode body, Map<String, String> headers) {
        static Response ok(JsonNode body) {
            return new Response(200, body, Map.of());
        }

        static Response error(int status, String code, String message) {
            ObjectNode body = JSON.objectNode();
            body.putObject("error").put("code", code).put("message", message);
            return new Response(status, body, Map.of());
        }
    }

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final CertificateAuthority tlsCa;
    private final URI endpoint;
    private final KeyVaultFake keyVault;
    private final ArmFake arm;
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    /** While set, matching requests are throttled (429, retry after 5 ms), as ARM and Key Vault do under load. */
    private volatile java.util.function.BiPredicate<String, String> throttled = (method, path) -> false;

    private AzureFake() throws IOException {
        Instant now = Instant.now();
        tlsCa = CertificateAuthority.selfSigned(InMemorySigner.generate(), "relay-link Azure fake TLS CA", now.minus(Duration.ofHours(1)), Duration.ofDays(2));
        Credential tls = TestPki.issueServer(tlsCa, "localhost", now, Duration.ofDays(1));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(tls)));
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
        endpoint = URI.create("https://localhost:" + server.getAddress().getPort());
        keyVault = new KeyVaultFake(endpoint.toString());
        arm = new ArmFake();
    }

    public static AzureFake start() {
        try {
            return new AzureFake();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The vault URL to give the Key Vault clients. */
    public String vaultUrl() {
        return endpoint.toString();
    }

    /** The ARM endpoint to give the resource managers. */
    public URI resourceManagerEndpoint() {
        return URI.create(endpoint + "/");
    }

    /** An SSLContext that trusts this fake's TLS certificate (and nothing else). */
    public SSLContext clientTrust() {
        return clientTrust(List.of());
    }

    /** An SSLContext that trusts this fake's TLS certificate and {@code alsoTrusted} (Azurite's), nothing else. */
    public SSLContext clientTrust(List<X509Certificate> alsoTrusted) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("azure-fake-ca", tlsCa.certificate());
            for (int i = 0; i < alsoTrusted.size(); i++) {
                trust.setCertificateEntry("also-" + i, alsoTrusted.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA of this fake's TLS certificate, for a client in another process (the function app benchmark's fresh JVM). */
    public X509Certificate tlsCaCertificate() {
        return tlsCa.certificate();
    }

    public KeyVaultFake keyVault() {
        return keyVault;
    }

    public ArmFake arm() {
        return arm;
    }

    /** Throttles every {@code method} request whose path contains {@code pathPart}, until {@link #stopThrottling}. */
    public void throttle(String method, String pathPart) {
        throttled = (m, path) -> m.equals(method) && path.contains(pathPart);
    }

    public void stopThrottling() {
        throttled = (method, path) -> false;
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            boolean bearer = authorization != null && authorization.startsWith("Bearer ") && authorization.length() > "Bearer ".length();
            Response response;
            if (throttled.test(exchange.getRequestMethod(), URLDecoder.decode(path, StandardCharsets.UTF_8))) {
                Response error = Response.error(429, "TooManyRequests", "The request was throttled.");
                response = new Response(429, error.body(), Map.of("Retry-After", "0", "x-ms-retry-after-ms", "5"));
                requests.add(new RecordedRequest(exchange.getRequestMethod(), path, bearer, body.length, response.status()));
                send(exchange, response);
                return;
            }
            try {
                response = route(exchange.getRequestMethod(), path, query(exchange.getRequestURI().getRawQuery()), body, bearer);
            } catch (RuntimeException e) {
                response = Response.error(500, "InternalError", "the fake failed: " + e);
            }
            requests.add(new RecordedRequest(exchange.getRequestMethod(), path, bearer, body.length, response.status()));
            send(exchange, response);
        }
    }

    private Response route(String method, String path, Map<String, String> query, byte[] body, boolean bearer) {
        boolean isArm = path.startsWith("/subscriptions/");
        if (!bearer) {
            return isArm ? armUnauthenticated() : vaultChallenge();
        }
        if (!query.containsKey("api-version")) {
            return isArm
                    ? Response.error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
                    : Response.error(400, "BadParameter", "The 'api-version' query parameter is missing.");
        }
        JsonNode json;
        try {
            json = body.length == 0 ? JSON.objectNode() : JsonLines.JSON.readTree(body);
        } catch (IOException e) {
            return Response.error(400, isArm ? "InvalidRequestContent" : "BadParameter", "The request body is not valid JSON.");
        }
        Request request = new Request(method, URLDecoder.decode(path, StandardCharsets.UTF_8), query, json);
        return isArm ? arm.handle(request) : keyVault.handle(request);
    }

    /** Key Vault's first answer to a client without a token: where to get one and for which resource. */
    private static Response vaultChallenge() {
        Response error = Response.error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        return new Response(401, error.body(), Map.of("WWW-Authenticate",
                "Bearer authorization=\"https://login.microsoftonline.com/" + TENANT_ID + "\", resource=\"" + VAULT_RESOURCE + "\""));
    }

    private static Response armUnauthenticated() {
        Response error = Response.error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        return new Response(401, error.body(), Map.of("WWW-Authenticate",
                "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", "
                        + "error_description=\"The authentication failed because of missing 'Authorization' header.\""));
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = response.body() == null ? new byte[0] : JsonLines.JSON.writeValueAsBytes(response.body());
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().add("x-ms-request-id", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static SSLContext serverContext(Credential tls) {
        try {
            char[] password = "fake".toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("tls", tls.key(), password, tls.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
