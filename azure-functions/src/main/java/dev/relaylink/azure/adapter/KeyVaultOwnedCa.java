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
import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Pem;
import dev.relaylink.port.OwnedCa;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client CA generations in Key Vault: each on its own EC P-256 key that signs in Key Vault and
 * never leaves it, a new version of the one key {@code <keyName>} per generation (a Key Vault key
 * version is new key material; one key name lets the identity's role be scoped to that key alone),
 * and the CA certificates as a PEM list in a secret, as {@link CaGenerations} orders them. The
 * secret's tags name each certificate's key version ({@value #KEY_TAG_PREFIX}{@code <fingerprint>}),
 * so a certificate always pairs with its own key. A retired generation's key version is disabled.
 */
public final class KeyVaultOwnedCa implements OwnedCa {
    /** The key version of the first certificate, as earlier releases tagged it. */
    static final String KEY_VERSION_TAG = "relay-link-key-version";
    static final String KEY_TAG_PREFIX = "ca-";
    private static final Logger LOG = LoggerFactory.getLogger(KeyVaultOwnedCa.class);

    private final KeyClient keys;
    private final String keyName;
    private final KeyVaultCaMirror published;
    private final SecretClient secrets;

    public KeyVaultOwnedCa(KeyClient keys, SecretClient secrets, String keyName, String certificatesSecretName) {
        this.keys = keys;
        this.keyName = keyName;
        this.secrets = secrets;
        this.published = new KeyVaultCaMirror(secrets, certificatesSecretName);
    }

    /** The certificates live in the secret {@code <keyName>-certificates}. */
    public static KeyVaultOwnedCa of(KeyClient keys, SecretClient secrets, String keyName) {
        return new KeyVaultOwnedCa(keys, secrets, keyName, keyName + "-certificates");
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
        X509Certificate issuing = Pem.readCertificates(secret.get().getValue()).get(0);
        return Optional.of(new CertificateAuthority(KeyVaultSigner.forKey(keys, key(secret.get(), issuing)), issuing));
    }

    @Override
    public CertificateAuthority create(String commonName, Instant now, Duration lifetime) {
        Optional<KeyVaultSecret> secret = published.latest();
        List<X509Certificate> before = secret.map(s -> Pem.readCertificates(s.getValue())).orElse(List.of());
        // The first generation uses the key the deployment made; each later one a new version of it.
        KeyVaultKey key = before.isEmpty() ? existingKey().orElseGet(this::createKeyVersion) : createKeyVersion();
        CertificateAuthority ca = CertificateAuthority.selfSigned(KeyVaultSigner.forKey(keys, key), commonName, now, lifetime);
        Map<String, String> tags = tags(secret);
        tags.put(tag(ca.certificate()), key.getName() + "/" + key.getProperties().getVersion());
        publish(CaGenerations.withCreated(before, ca.certificate()), tags);
        LOG.info("published client CA certificate '{}' for Key Vault key {}", commonName, key.getId());
        return ca;
    }

    @Override
    public void startIssuing(X509Certificate ca) {
        Optional<KeyVaultSecret> secret = published.latest();
        List<X509Certificate> before = secret.map(s -> Pem.readCertificates(s.getValue())).orElse(List.of());
        CaGenerations.afterStartIssuing(before, ca).ifPresent(after -> publish(after, tags(secret)));
    }

    @Override
    public void retire(X509Certificate ca) {
        Optional<KeyVaultSecret> secret = published.latest();
        List<X509Certificate> before = secret.map(s -> Pem.readCertificates(s.getValue())).orElse(List.of());
        Optional<List<X509Certificate>> after = CaGenerations.afterRetiring(before, ca);
        if (after.isEmpty()) {
            return; // retired before: its key version was disabled then, and its tag is gone
        }
        KeyVaultKey key = key(secret.get(), ca);
        if (Boolean.TRUE.equals(key.getProperties().isEnabled())) {
            keys.updateKeyProperties(key.getProperties().setEnabled(false));
            LOG.info("disabled Key Vault key {} of a retired client CA generation", key.getId());
        }
        Map<String, String> tags = tags(secret);
        tags.remove(tag(ca));
        publish(after.get(), tags);
    }

    private void publish(List<X509Certificate> certificates, Map<String, String> tags) {
        secrets.setSecret(new KeyVaultSecret(published.secretName(), Pem.write(certificates))
                .setProperties(new SecretProperties().setContentType(KeyVaultCaMirror.PEM_CONTENT_TYPE).setTags(tags)));
    }

    /** The key of {@code ca}: its tag, or (a secret from before generations) the tagged version of {@code keyName} for the first certificate. */
    private KeyVaultKey key(KeyVaultSecret secret, X509Certificate ca) {
        Map<String, String> tags = secret.getProperties().getTags() == null ? Map.of() : secret.getProperties().getTags();
        String reference = tags.get(tag(ca));
        if (reference != null) {
            int slash = reference.lastIndexOf('/');
            return keys.getKey(reference.substring(0, slash), reference.substring(slash + 1));
        }
        String firstVersion = tags.get(KEY_VERSION_TAG);
        if (firstVersion == null) {
            // Never the latest version by default: that is another generation's key.
            throw new IllegalStateException("the client CA certificate secret names no key version for CA " + ca.getSubjectX500Principal());
        }
        return keys.getKey(keyName, firstVersion);
    }

    private static Map<String, String> tags(Optional<KeyVaultSecret> secret) {
        Map<String, String> tags = new HashMap<>();
        secret.map(s -> s.getProperties().getTags()).ifPresent(tags::putAll);
        return tags;
    }

    private static String tag(X509Certificate ca) {
        return KEY_TAG_PREFIX + Certificates.fingerprint(ca).substring(0, 32);
    }

    private Optional<KeyVaultKey> existingKey() {
        try {
            return Optional.of(keys.getKey(keyName));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private KeyVaultKey createKeyVersion() {
        KeyVaultKey key = keys.createEcKey(new CreateEcKeyOptions(keyName)
                .setCurveName(KeyCurveName.P_256)
                .setKeyOperations(KeyOperation.SIGN, KeyOperation.VERIFY));
        LOG.info("created Key Vault key version {} (EC P-256, sign/verify) for a client CA generation", key.getId());
        return key;
    }
}
