package dev.relaylink.azure.adapter;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import dev.relaylink.pki.Pem;
import dev.relaylink.port.CaMirror;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * CA certificates published as one PEM list (current first) in a Key Vault secret: public trust
 * material. The client CA's own list, and the mirror of the server CAs the AWS side publishes.
 */
public final class KeyVaultCaMirror implements CaMirror {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KeyVaultCaMirror.class);
    static final String PEM_CONTENT_TYPE = "application/x-pem-file";

    private final SecretClient secrets;
    private final String secretName;

    public KeyVaultCaMirror(SecretClient secrets, String secretName) {
        this.secrets = secrets;
        this.secretName = secretName;
    }

    /** Empty when the secret does not exist yet (before the first bootstrap). */
    @Override
    public List<X509Certificate> certificates() {
        return latest().map(secret -> Pem.readCertificates(secret.getValue())).orElse(List.of());
    }

    /** A new secret version with {@code certificates}, unless the latest holds exactly them. */
    @Override
    public boolean mirror(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("an empty CA list would leave the workloads trusting nobody");
        }
        if (certificates.equals(certificates())) {
            return false;
        }
        secrets.setSecret(new KeyVaultSecret(secretName, Pem.write(certificates))
                .setProperties(new SecretProperties().setContentType(PEM_CONTENT_TYPE)));
        LOG.info("mirrored {} CA certificates into Key Vault secret {}", certificates.size(), secretName);
        return true;
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
