package dev.relaylink.azure.adapter;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.models.CreateEcKeyOptions;
import com.azure.security.keyvault.keys.models.KeyCurveName;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Pem;
import dev.relaylink.port.CaStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client CA in Key Vault: an EC P-256 key that signs in Key Vault and never leaves it, and
 * the CA certificates as a PEM list in a secret (current first). The secret's tag
 * {@value #KEY_VERSION_TAG} names the key version the current certificate was made for, so a
 * later key version never pairs with an older certificate.
 */
public final class KeyVaultCaStore implements CaStore {
    static final String KEY_VERSION_TAG = "relay-link-key-version";
    private static final Logger LOG = LoggerFactory.getLogger(KeyVaultCaStore.class);

    private final KeyClient keys;
    private final String keyName;
    private final KeyVaultCaCertificates published;
    private final SecretClient secrets;

    public KeyVaultCaStore(KeyClient keys, SecretClient secrets, String keyName, String certificatesSecretName) {
        this.keys = keys;
        this.keyName = keyName;
        this.secrets = secrets;
        this.published = new KeyVaultCaCertificates(secrets, certificatesSecretName);
    }

    /** The certificates live in the secret {@code <keyName>-certificates}. */
    public static KeyVaultCaStore of(KeyClient keys, SecretClient secrets, String keyName) {
        return new KeyVaultCaStore(keys, secrets, keyName, keyName + "-certificates");
    }

    @Override
    public List<X509Certificate> certificates() {
        return published.certificates();
    }

    @Override
    public Optional<CertificateAuthority> current() {
        Optional<KeyVaultSecret> secret = published.latest();
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        List<X509Certificate> certificates = Pem.readCertificates(secret.get().getValue());
        String keyVersion = secret.get().getProperties().getTags() == null ? null
                : secret.get().getProperties().getTags().get(KEY_VERSION_TAG);
        KeyVaultKey key = keys.getKey(keyName, keyVersion);
        return Optional.of(new CertificateAuthority(KeyVaultSigner.forKey(keys, key), certificates.get(0)));
    }

    @Override
    public CertificateAuthority create(String commonName, Instant now, Duration lifetime) {
        KeyVaultKey key = existingKey().orElseGet(this::createKey);
        CertificateAuthority ca = CertificateAuthority.selfSigned(KeyVaultSigner.forKey(keys, key), commonName, now, lifetime);
        List<X509Certificate> certificates = new ArrayList<>();
        certificates.add(ca.certificate());
        certificates.addAll(published.certificates());
        secrets.setSecret(new KeyVaultSecret(published.secretName(), Pem.write(certificates))
                .setProperties(new SecretProperties()
                        .setContentType(KeyVaultCaCertificates.PEM_CONTENT_TYPE)
                        .setTags(Map.of(KEY_VERSION_TAG, key.getProperties().getVersion()))));
        LOG.info("published CA certificate '{}' for Key Vault key {} ({} certificates in {})",
                commonName, key.getId(), certificates.size(), published.secretName());
        return ca;
    }

    private Optional<KeyVaultKey> existingKey() {
        try {
            return Optional.of(keys.getKey(keyName));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private KeyVaultKey createKey() {
        KeyVaultKey key = keys.createEcKey(new CreateEcKeyOptions(keyName)
                .setCurveName(KeyCurveName.P_256)
                .setKeyOperations(KeyOperation.SIGN, KeyOperation.VERIFY));
        LOG.info("created Key Vault key {} (EC P-256, sign/verify) for the client CA", key.getId());
        return key;
    }
}
