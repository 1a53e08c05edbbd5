package dev.relaylink.azure.adapter;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import dev.relaylink.pki.Pem;
import dev.relaylink.port.CaCertificates;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** CA certificates published as one PEM list (current first) in a Key Vault secret: public trust material. */
public final class KeyVaultCaCertificates implements CaCertificates {
    static final String PEM_CONTENT_TYPE = "application/x-pem-file";

    private final SecretClient secrets;
    private final String secretName;

    public KeyVaultCaCertificates(SecretClient secrets, String secretName) {
        this.secrets = secrets;
        this.secretName = secretName;
    }

    /** Empty when the secret does not exist yet (before the first bootstrap). */
    @Override
    public List<X509Certificate> certificates() {
        return latest().map(secret -> Pem.readCertificates(secret.getValue())).orElse(List.of());
    }

    Optional<KeyVaultSecret> latest() {
        try {
            return Optional.of(secrets.getSecret(secretName));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    String secretName() {
        return secretName;
    }
}
