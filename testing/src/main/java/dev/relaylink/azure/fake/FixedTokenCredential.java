package dev.relaylink.azure.fake;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A credential that hands out one fixed token and remembers which scopes and tenants were asked for.
 * The token is shaped like an Entra ID access token for Storage (an unsigned JWT: issuer, audience,
 * lifetime), which is what Azurite with {@code --oauth basic} checks; the REST fake only wants a bearer token.
 */
public final class FixedTokenCredential implements TokenCredential {
    private static final long ISSUED = java.time.Instant.now().getEpochSecond();
    public static final String TOKEN = token("https://storage.azure.com");

    /** An unsigned token for {@code audience}, valid from five minutes before this class loaded until a day after. */
    public static String token(String audience) {
        return jwt("{\"alg\":\"none\",\"typ\":\"JWT\"}")
                + "." + jwt("{\"iss\":\"https://sts.windows.net/" + AzureFake.TENANT_ID + "/\",\"aud\":\"" + audience + "\","
                        + "\"iat\":" + (ISSUED - 300) + ",\"nbf\":" + (ISSUED - 300) + ",\"exp\":" + (ISSUED + 86_400)
                        + ",\"oid\":\"relay-link-test-identity\"}") + ".";
    }

    /** One token request: the scopes and the tenant (from Key Vault's challenge, or null). */
    public record TokenRequest(List<String> scopes, String tenantId) {
    }

    private final List<TokenRequest> requests = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext context) {
        requests.add(new TokenRequest(List.copyOf(context.getScopes()), context.getTenantId()));
        return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    }

    private static String jwt(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public List<TokenRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }
}
