package dev.relaylink.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A bearer token for the API server, fetched again shortly before it expires. fabric8 asks for the
 * token on every request, so this keeps one and knows its expiry: a JWT's {@code exp} (Entra ID),
 * X-Amz-Date plus 15 minutes for an EKS token ({@code k8s-aws-v1.} + a presigned STS URL), or
 * {@link #UNKNOWN_LIFETIME} for anything else. The token itself is never logged.
 */
public final class RefreshingBearerToken {
    public static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(2);
    public static final Duration EKS_TOKEN_LIFETIME = Duration.ofMinutes(15);
    public static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(10);
    private static final String EKS_PREFIX = "k8s-aws-v1.";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Supplier<String> source;
    private final Clock clock;
    private String token;
    private Instant refreshAt = Instant.MIN;

    public RefreshingBearerToken(Supplier<String> source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized String get() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(refreshAt)) {
            String fresh = source.get();
            if (fresh == null || fresh.isBlank()) {
                throw new ClusterException("the bearer token source returned no token");
            }
            Instant expiry = expiry(fresh).orElse(now.plus(UNKNOWN_LIFETIME));
            // Refresh ahead of expiry, but never so early that a short-lived token is fetched on every call.
            Duration left = Duration.between(now, expiry);
            Duration margin = left.dividedBy(2).compareTo(REFRESH_BEFORE_EXPIRY) < 0 ? left.dividedBy(2) : REFRESH_BEFORE_EXPIRY;
            token = fresh;
            refreshAt = expiry.minus(margin);
        }
        return token;
    }

    /** When {@code token} expires, if it says so. */
    static Optional<Instant> expiry(String token) {
        try {
            if (token.startsWith(EKS_PREFIX)) {
                String url = new String(Base64.getUrlDecoder().decode(token.substring(EKS_PREFIX.length())), StandardCharsets.UTF_8);
                String query = Objects.requireNonNullElse(URI.create(url).getRawQuery(), "");
                for (String parameter : query.split("&")) {
                    if (parameter.startsWith("X-Amz-Date=")) {
                        return Optional.of(Instant.from(AMZ_DATE.parse(parameter.substring("X-Amz-Date=".length())))
                                .plus(EKS_TOKEN_LIFETIME));
                    }
                }
                return Optional.empty();
            }
            String[] parts = token.split("\\.");
            if (parts.length == 3) {
                JsonNode claims = JsonLines.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
                JsonNode exp = claims.get("exp");
                if (exp != null && exp.canConvertToLong()) {
                    return Optional.of(Instant.ofEpochSecond(exp.asLong()));
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty(); // an opaque token: treated as living UNKNOWN_LIFETIME
        }
    }
}
