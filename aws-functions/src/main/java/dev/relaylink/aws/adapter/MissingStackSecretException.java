package dev.relaylink.aws.adapter;

import dev.relaylink.failure.ConfigurationFailure;
import dev.relaylink.spec.CaSecretNames;

/**
 * A secret relay-link writes does not exist. The stack creates every one (template.yaml) and the
 * functions are granted no {@code secretsmanager:CreateSecret}: this is a deployment error (stack not
 * deployed, deleted secret, wrong secret id setting), which no retry mends. The message names the
 * stack resource that creates the secret.
 */
public final class MissingStackSecretException extends ConfigurationFailure {
    private final String secretId;

    MissingStackSecretException(String secretId, Throwable cause) {
        super("Secrets Manager secret '" + secretId + "' does not exist: the stack's " + stackResourceFor(secretId)
                + " (template.yaml) creates it and relay-link never does; deploy or update the stack, or correct the secret id setting", cause);
        this.secretId = secretId;
    }

    public String secretId() {
        return secretId;
    }

    /** The template's logical id of the secret, told by the suffix the stack names it with ({@link CaSecretNames}). */
    static String stackResourceFor(String secretId) {
        if (secretId.endsWith(CaSecretNames.CLIENT_CAS_IN_GATEWAY)) {
            return "ClientCaInGatewaySecret";
        }
        if (secretId.endsWith(CaSecretNames.SERVER_CAS_IN_WORKLOADS)) {
            return "ServerCaInWorkloadsSecret";
        }
        if (secretId.endsWith(CaSecretNames.CLIENT_CAS)) {
            return "ClientCaCertificatesSecret";
        }
        if (secretId.endsWith(CaSecretNames.SERVER_CAS)) {
            return "ServerCaCertificatesSecret";
        }
        return "ServerCertificateSecret";
    }
}
