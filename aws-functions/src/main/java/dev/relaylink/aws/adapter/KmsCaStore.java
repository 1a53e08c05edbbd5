package dev.relaylink.aws.adapter;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Pem;
import dev.relaylink.port.CaStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The server CA: its key in KMS ({@link KmsSigner}), its certificates (public; current first, older
 * ones kept until they expire) as a PEM list in a Secrets Manager secret, by default
 * {@code <serverCertSecretId>-ca}.
 */
public final class KmsCaStore implements CaStore {
    private final SecretsManagerClient secrets;
    private final String caSecretId;
    private final KmsSigner signer;

    public KmsCaStore(SecretsManagerClient secrets, String caSecretId, KmsSigner signer) {
        this.secrets = secrets;
        this.caSecretId = caSecretId;
        this.signer = signer;
    }

    public static String caSecretIdFor(String serverCertSecretId) {
        return serverCertSecretId + "-ca";
    }

    @Override
    public List<X509Certificate> certificates() {
        try {
            String pem = secrets.getSecretValue(r -> r.secretId(caSecretId).versionStage(SecretsManagerServerCertificateStore.CURRENT))
                    .secretString();
            return pem == null || pem.isBlank() ? List.of() : Pem.readCertificates(pem);
        } catch (ResourceNotFoundException e) {
            return List.of();
        }
    }

    /** The current CA, checked against the KMS key: a certificate for another key is an error, not a CA. */
    @Override
    public Optional<CertificateAuthority> current() {
        List<X509Certificate> certificates = certificates();
        return certificates.isEmpty() ? Optional.empty() : Optional.of(new CertificateAuthority(signer, certificates.get(0)));
    }

    @Override
    public CertificateAuthority create(String commonName, Instant now, Duration lifetime) {
        CertificateAuthority ca = CertificateAuthority.selfSigned(signer, commonName, now, lifetime);
        List<X509Certificate> all = new ArrayList<>();
        all.add(ca.certificate());
        // Older CAs stay published while they are valid: leaves they signed may still be served.
        certificates().stream().filter(c -> !now.isAfter(c.getNotAfter().toInstant())).forEach(all::add);
        String pem = Pem.write(all);
        try {
            secrets.putSecretValue(r -> r.secretId(caSecretId).secretString(pem));
        } catch (ResourceNotFoundException e) {
            secrets.createSecret(r -> r.name(caSecretId).secretString(pem)
                    .description("relay-link server CA certificates (public; the key is in KMS " + signer.keyId() + ")"));
        }
        return ca;
    }
}
