package dev.relaylink.aws.adapter;

import dev.relaylink.pki.Pem;
import dev.relaylink.port.BundleAcknowledgement;
import java.security.cert.X509Certificate;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * CA certificates kept as a PEM list (current first) in a Secrets Manager secret: the server CA's
 * own certificates, and the client CA bundle the Azure side publishes for the EKS gateway. Public
 * material, kept in Secrets Manager for its versioning and resource policy. An absent secret is no CA.
 * Also the confirmations of what each cloud's bundles hold (the client CAs in the EKS gateway's bundle,
 * the server CAs in every workload's), which the CA rotation waits for.
 */
public final class SecretsManagerPublishedCas implements BundleAcknowledgement {
    private final SecretsManagerClient secrets;
    private final String secretId;

    public SecretsManagerPublishedCas(SecretsManagerClient secrets, String secretId) {
        this.secrets = secrets;
        this.secretId = secretId;
    }

    public String secretId() {
        return secretId;
    }

    @Override
    public List<X509Certificate> certificates() {
        String certificates = blocks(Pem.CERTIFICATE);
        return certificates.isEmpty() ? List.of() : Pem.readCertificates(certificates);
    }

    /** The revocation list the Azure side publishes beside the client CA certificates, when there is one. */
    @Override
    public java.util.Optional<String> revocationList() {
        String crl = blocks(Pem.CRL);
        return crl.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(crl);
    }

    /** The AWSCURRENT value's PEM blocks of {@code type}; empty text when there are none. */
    private String blocks(String type) {
        try {
            String pem = secrets.getSecretValue(r -> r.secretId(secretId).versionStage(SecretsManagerServerCertificateStore.CURRENT))
                    .secretString();
            return pem == null || pem.isBlank() ? "" : Pem.blocksOf(pem, type);
        } catch (ResourceNotFoundException e) {
            return "";
        }
    }

    @Override
    public boolean acknowledge(List<X509Certificate> certificates) {
        if (certificates.equals(certificates())) {
            return false;
        }
        publish(certificates);
        return true;
    }

    /**
     * Publishes {@code certificates} as the new current version of the stack's secret.
     *
     * @throws MissingStackSecretException when the secret does not exist (the stack creates it, never this code)
     */
    public void publish(List<X509Certificate> certificates) {
        String pem = Pem.write(certificates);
        try {
            secrets.putSecretValue(r -> r.secretId(secretId).secretString(pem));
        } catch (ResourceNotFoundException e) {
            throw new MissingStackSecretException(secretId, e);
        }
    }
}
