package dev.relaylink.aws.adapter;

import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.port.OwnedCa;
import dev.relaylink.spec.CaSecretNames;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * The server CA generations: each on its own KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs and
 * never leaves KMS, the certificates (public; as {@link CaGenerations} orders them) as a PEM list in
 * a Secrets Manager secret, by default {@code <serverCertSecretId>-ca}. The first generation is on the
 * stack's key; each later one on a key this store creates with {@link ServerCaKeyPolicy}, tagged with
 * the link, and found again by an alias named after its public key, so a certificate always leads to
 * its own key. A retired generation's key is scheduled for deletion with KMS's pending window; the
 * stack's key belongs to the stack and is left to it.
 */
public final class KmsOwnedCa implements OwnedCa {
    public static final String LINK_TAG = "relay-link:link";
    public static final String PURPOSE_TAG = "relay-link:purpose";
    /** KMS's longest pending window: time to cancel the deletion of a key retired by mistake. */
    static final int PENDING_WINDOW_DAYS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(KmsOwnedCa.class);

    private final SecretsManagerPublishedCas published;
    private final KmsClient kms;
    private final KmsSigner stackKey;
    private final String linkName;
    private final Supplier<ServerCaKeyPolicy> keyPolicy;

    /**
     * @param stackKey the stack's key (spec {@code aws.serverCaKeyId}), the first generation's
     * @param keyPolicy the policy of each new generation's key (read only when one is created)
     */
    public KmsOwnedCa(SecretsManagerPublishedCas published, KmsClient kms, KmsSigner stackKey, String linkName,
                      Supplier<ServerCaKeyPolicy> keyPolicy) {
        this.published = published;
        this.kms = kms;
        this.stackKey = stackKey;
        this.linkName = linkName;
        this.keyPolicy = keyPolicy;
    }

    public static String caSecretIdFor(String serverCertSecretId) {
        return CaSecretNames.forServerCertificate(serverCertSecretId).serverCas();
    }

    @Override
    public List<X509Certificate> certificates() {
        return published.certificates();
    }

    /** The issuing CA, checked against its KMS key: a certificate for another key is an error, not a CA. */
    @Override
    public Optional<CertificateAuthority> current() {
        List<X509Certificate> certificates = certificates();
        return certificates.isEmpty() ? Optional.empty()
                : Optional.of(new CertificateAuthority(signerFor(certificates.get(0)), certificates.get(0)));
    }

    @Override
    public CertificateAuthority create(String commonName, Instant now, Duration lifetime) {
        List<X509Certificate> before = certificates();
        KmsSigner signer = before.isEmpty() ? stackKey : newKey();
        CertificateAuthority ca = CertificateAuthority.selfSigned(signer, commonName, now, lifetime);
        published.publish(CaGenerations.withCreated(before, ca.certificate()));
        return ca;
    }

    @Override
    public void startIssuing(X509Certificate ca) {
        CaGenerations.afterStartIssuing(certificates(), ca).ifPresent(after -> published.publish(after));
    }

    @Override
    public void retire(X509Certificate ca) {
        Optional<List<X509Certificate>> after = CaGenerations.afterRetiring(certificates(), ca);
        if (after.isEmpty()) {
            return; // retired before: its key was scheduled for deletion then
        }
        if (!isStackKey(ca.getPublicKey())) {
            String alias = aliasFor(ca.getPublicKey());
            var key = kms.describeKey(r -> r.keyId(alias)).keyMetadata();
            if (key.keyState() != KeyState.PENDING_DELETION) {
                kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(PENDING_WINDOW_DAYS));
                LOG.info("scheduled KMS key {} ({}) of a retired server CA generation for deletion in {} days", key.keyId(), alias,
                        PENDING_WINDOW_DAYS);
            }
        }
        published.publish(after.get());
    }

    /** The alias of a generation's key: the stack key's alias and the first 16 hex digits of the SHA-256 of its public key. */
    public String aliasFor(PublicKey key) {
        try {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
            return aliasPrefix() + "-" + digest.substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private String aliasPrefix() {
        return stackKey.keyId().startsWith("alias/") ? stackKey.keyId() : "alias/relay-link-" + linkName + "-server-ca";
    }

    private KmsSigner signerFor(X509Certificate ca) {
        return isStackKey(ca.getPublicKey()) ? stackKey : new KmsSigner(kms, aliasFor(ca.getPublicKey()));
    }

    private boolean isStackKey(PublicKey key) {
        return Arrays.equals(stackKey.publicKey().getEncoded(), key.getEncoded());
    }

    /**
     * A new key with the generation policy. The policy grants no principal the right to rewrite it
     * through this function, so KMS's lockout check (which wants the caller to keep PutKeyPolicy) is
     * bypassed on purpose; an interrupted creation leaves at most an unused, tagged key behind.
     */
    private KmsSigner newKey() {
        String keyId = kms.createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)
                        .policy(keyPolicy.get().json()).bypassPolicyLockoutSafetyCheck(true)
                        .description("relay-link " + linkName + ": server CA signing key (ECDSA P-256), a later generation")
                        .tags(Tag.builder().tagKey(LINK_TAG).tagValue(linkName).build(),
                                Tag.builder().tagKey(PURPOSE_TAG).tagValue("server-ca").build()))
                .keyMetadata().keyId();
        KmsSigner signer = new KmsSigner(kms, keyId);
        String alias = aliasFor(signer.publicKey());
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId));
        LOG.info("created KMS key {} ({}) for the next server CA generation", keyId, alias);
        return signer;
    }
}
