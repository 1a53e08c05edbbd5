package dev.relaylink.azure.fake;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import reactor.core.publisher.Mono;

/** A credential that hands out one fixed token and remembers which scopes and tenants were asked for. */
public final class FixedTokenCredential implements TokenCredential {
    public static final String TOKEN = "relay-link-test-token";

    /** One token request: the scopes and the tenant (from Key Vault's challenge, or null). */
    public record TokenRequest(List<String> scopes, String tenantId) {
    }

    private final List<TokenRequest> requests = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext context) {
        requests.add(new TokenRequest(List.copyOf(context.getScopes()), context.getTenantId()));
        return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    }

    public List<TokenRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }
}
