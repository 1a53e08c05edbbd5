package dev.relaylink.cli;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import java.util.Base64;
import java.util.Optional;

/**
 * Who runs the command, for the audit record. AWS STS GetCallerIdentity says who the AWS side is,
 * but a revocation runs on the Azure side: the name is the Azure credential's own identity (the
 * {@code upn}, else {@code unique_name}, {@code appid} or {@code oid} claim of its ARM token), and
 * the OS user only where no Azure token can be had. The token itself is never printed or kept.
 */
public final class Requester {
    static final String ARM_SCOPE = "https://management.azure.com/.default";

    private Requester() {
    }

    public static String of(TokenCredential credential) {
        try {
            String token = credential.getTokenSync(new TokenRequestContext().addScopes(ARM_SCOPE)).getToken();
            return fromToken(token).map(name -> "azure:" + name).orElseGet(Requester::osUser);
        } catch (RuntimeException e) {
            return osUser();
        }
    }

    /** The identity claim of a JWT's payload; empty when the token is not a JWT or names nobody. */
    static Optional<String> fromToken(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JsonLines.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            for (String claim : new String[] {"upn", "unique_name", "appid", "oid"}) {
                String value = claims.path(claim).asText("");
                if (!value.isBlank()) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    static String osUser() {
        return "os-user:" + System.getProperty("user.name", "unknown");
    }
}
