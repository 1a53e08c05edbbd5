package dev.relaylink.azure.adapter;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.certificates.CertificateClient;
import com.azure.security.keyvault.certificates.models.CertificateContentType;
import com.azure.security.keyvault.certificates.models.CertificateProperties;
import com.azure.security.keyvault.certificates.models.CertificateKeyCurveName;
import com.azure.security.keyvault.certificates.models.CertificateKeyType;
import com.azure.security.keyvault.certificates.models.CertificatePolicy;
import com.azure.security.keyvault.certificates.models.ImportCertificateOptions;
import com.azure.security.keyvault.certificates.models.KeyVaultCertificate;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.port.ClientCertificateStore;
import dev.relaylink.spec.LinkSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workloads' client certificates in Key Vault, one Key Vault certificate per workload named by
 * {@link LinkSpec.Workload#keyVaultCertificateName()}. Each rotation imports a PEM (PKCS#8 key, then
 * the chain) as a new version; Key Vault keeps older versions usable until they expire. The key is
 * read back from the certificate's backing secret, which Key Vault returns in the imported PEM form.
 */
public final class KeyVaultClientCertificateStore implements ClientCertificateStore {
    static final String SPIFFE_ID_TAG = "relay-link-spiffe-id";
    private static final Logger LOG = LoggerFactory.getLogger(KeyVaultClientCertificateStore.class);
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----.*?-----END \\1-----", Pattern.DOTALL);

    private final CertificateClient certificates;
    private final SecretClient secrets;
    private final Map<SpiffeId, String> certificateNames;

    /** Manages the certificates of {@code workloads}, whose SPIFFE IDs are in {@code trustDomain}. */
    public KeyVaultClientCertificateStore(CertificateClient certificates, SecretClient secrets, String trustDomain,
                                          List<LinkSpec.Workload> workloads) {
        this.certificates = certificates;
        this.secrets = secrets;
        Map<SpiffeId, String> names = new LinkedHashMap<>();
        workloads.forEach(w -> names.put(w.spiffeId(trustDomain), w.keyVaultCertificateName()));
        this.certificateNames = Map.copyOf(names);
    }

    /** Each workload's current leaf ({@code cer} holds the leaf only); workloads without a certificate are left out. */
    @Override
    public Map<SpiffeId, List<X509Certificate>> currentCertificates() {
        Map<SpiffeId, List<X509Certificate>> current = new LinkedHashMap<>();
        certificateNames.forEach((workload, name) -> latest(name)
                .ifPresent(certificate -> current.put(workload, List.of(x509(certificate.getCer(), name)))));
        return current;
    }

    /**
     * Each workload's versions that have not expired, in the order Key Vault created them: listing
     * the versions gives their properties, each leaf is one more read.
     */
    @Override
    public Map<SpiffeId, List<X509Certificate>> versions() {
        Map<SpiffeId, List<X509Certificate>> all = new LinkedHashMap<>();
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
        certificateNames.forEach((workload, name) -> {
            List<com.azure.security.keyvault.certificates.models.CertificateProperties> live = new java.util.ArrayList<>();
            try {
                for (var properties : certificates.listPropertiesOfCertificateVersions(name)) {
                    if (properties.getExpiresOn() == null || properties.getExpiresOn().isAfter(now)) {
                        live.add(properties);
                    }
                }
            } catch (ResourceNotFoundException e) {
                return;
            }
            live.sort(java.util.Comparator.comparing(com.azure.security.keyvault.certificates.models.CertificateProperties::getCreatedOn,
                    java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
            List<X509Certificate> leaves = new java.util.ArrayList<>();
            for (var properties : live) {
                leaves.add(x509(certificates.getCertificateVersion(name, properties.getVersion()).getCer(), name));
            }
            if (!leaves.isEmpty()) {
                all.put(workload, List.copyOf(leaves));
            }
        });
        return all;
    }

    @Override
    public Optional<Credential> current(SpiffeId workload) {
        String name = nameOf(workload);
        Optional<KeyVaultCertificate> certificate = latest(name);
        if (certificate.isEmpty()) {
            return Optional.empty();
        }
        KeyVaultSecret secret = secrets.getSecret(name, certificate.get().getProperties().getVersion());
        if (!KeyVaultCaMirror.PEM_CONTENT_TYPE.equalsIgnoreCase(secret.getProperties().getContentType())) {
            throw new PkiException("Key Vault certificate " + name + " is stored as " + secret.getProperties().getContentType()
                    + "; relay-link imports and reads " + KeyVaultCaMirror.PEM_CONTENT_TYPE);
        }
        return Optional.of(fromPem(secret.getValue(), name));
    }

    @Override
    public void importVersion(SpiffeId workload, Credential credential) {
        String name = nameOf(workload);
        Optional<SpiffeId> carried = Certificates.spiffeId(credential.leaf());
        if (carried.isEmpty() || !carried.get().equals(workload)) {
            throw new PkiException("refusing to import into Key Vault certificate " + name + ": its leaf carries "
                    + carried.map(SpiffeId::toString).orElse("no SPIFFE ID") + ", not " + workload);
        }
        String pem = Pem.write(credential.key()) + Pem.write(credential.chain());
        CertificatePolicy policy = new CertificatePolicy("Unknown", credential.leaf().getSubjectX500Principal().getName())
                .setContentType(CertificateContentType.PEM)
                .setKeyType(CertificateKeyType.EC)
                .setKeyCurveName(CertificateKeyCurveName.P_256)
                // The function reads the key back to write the workload's AKS secret.
                .setExportable(true);
        KeyVaultCertificate imported = certificates.importCertificate(new ImportCertificateOptions(name, pem.getBytes(StandardCharsets.US_ASCII))
                .setPolicy(policy)
                .setTags(Map.of(SPIFFE_ID_TAG, workload.toString())));
        LOG.info("imported {} as version {} of Key Vault certificate {} (serial {})",
                workload, imported.getProperties().getVersion(), name, Certificates.serialHex(credential.leaf()));
    }

    private String nameOf(SpiffeId workload) {
        String name = certificateNames.get(workload);
        if (name == null) {
            throw new IllegalArgumentException("workload " + workload + " is not in the link spec; known: " + certificateNames.keySet());
        }
        return name;
    }

    private Optional<KeyVaultCertificate> latest(String name) {
        try {
            return Optional.of(certificates.getCertificate(name));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Key Vault's PEM secret: the private key block and the certificate blocks, in any order. */
    static Credential fromPem(String pem, String name) {
        StringBuilder key = new StringBuilder();
        StringBuilder chain = new StringBuilder();
        Matcher block = PEM_BLOCK.matcher(pem == null ? "" : pem);
        while (block.find()) {
            (block.group(1).endsWith("PRIVATE KEY") ? key : chain).append(block.group()).append('\n');
        }
        if (key.isEmpty() || chain.isEmpty()) {
            // The message names what is missing, never the secret's content.
            throw new PkiException("the secret of Key Vault certificate " + name + " lacks "
                    + (key.isEmpty() ? "a private key" : "a certificate"));
        }
        return new Credential(Pem.readPrivateKey(key.toString()), Pem.readCertificates(chain.toString()));
    }

    private static X509Certificate x509(byte[] der, String name) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new PkiException("Key Vault certificate " + name + " does not hold a valid X.509 certificate", e);
        }
    }
}
