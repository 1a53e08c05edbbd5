package dev.relaylink.aws.adapter;

import dev.relaylink.pki.Keys;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The server CA key: a KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs and never leaves KMS.
 * Signs the certificate's TBS bytes with {@code MessageType=RAW}: KMS hashes them with SHA-256
 * itself, which is right on AWS and on the emulator (whose DIGEST mode hashes again, docs/design.md, the AWS emulator).
 */
public final class KmsSigner implements Signer {
    /** The largest message KMS signs in RAW mode; a TBS certificate is a few hundred bytes. */
    public static final int MAX_RAW_MESSAGE = 4096;

    private final KmsClient kms;
    private final String keyId;
    private volatile PublicKey publicKey;

    /** @param keyId a key id, key ARN, alias name ({@code alias/...}) or alias ARN */
    public KmsSigner(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    public String keyId() {
        return keyId;
    }

    /** Read once from {@code GetPublicKey} and kept: the key behind an id never changes. */
    @Override
    public PublicKey publicKey() {
        PublicKey key = publicKey;
        if (key == null) {
            byte[] der = kms.getPublicKey(r -> r.keyId(keyId)).publicKey().asByteArray();
            try {
                key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                throw new PkiException("KMS key " + keyId + " is not an ECDSA P-256 key (ECC_NIST_P256, SIGN_VERIFY): its public key is not EC", e);
            }
            Keys.requireP256(key, "KMS key " + keyId);
            publicKey = key;
        }
        return key;
    }

    @Override
    public byte[] signSha256WithEcdsa(byte[] data) {
        if (data.length > MAX_RAW_MESSAGE) {
            throw new PkiException("KMS signs at most " + MAX_RAW_MESSAGE + " bytes in RAW mode; the data to sign is "
                    + data.length + " bytes (a certificate this large is not one relay-link issues)");
        }
        return kms.sign(r -> r.keyId(keyId)
                        .message(SdkBytes.fromByteArray(data))
                        .messageType(MessageType.RAW)
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))
                .signature().asByteArray(); // DER-encoded ECDSA signature, as X.509 wants it
    }
}
