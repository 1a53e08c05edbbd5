package dev.relaylink.azure.adapter;

import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.Signer;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;

/**
 * The client CA's key in Key Vault: Key Vault signs a SHA-256 digest with ES256 and returns the
 * raw {@code r || s} (RFC 7518), which X.509 wants as a DER {@code SEQUENCE { r, s }} (RFC 3279).
 */
public final class KeyVaultSigner implements Signer {
    private static final int P256_FIELD_BYTES = 32;

    private final CryptographyClient crypto;
    private final PublicKey publicKey;

    /** {@code crypto} must be bound to the key version whose public half is {@code publicKey}. */
    public KeyVaultSigner(CryptographyClient crypto, PublicKey publicKey) {
        Keys.requireP256(publicKey, "Key Vault CA key");
        this.crypto = crypto;
        this.publicKey = publicKey;
    }

    /** Signs with exactly this version of {@code key}, so the signatures always match its public key. */
    public static KeyVaultSigner forKey(KeyClient keys, KeyVaultKey key) {
        PublicKey publicKey = key.getKey().toEc(false).getPublic();
        return new KeyVaultSigner(keys.getCryptographyClient(key.getName(), key.getProperties().getVersion()), publicKey);
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] signSha256WithEcdsa(byte[] data) {
        byte[] raw = crypto.sign(SignatureAlgorithm.ES256, sha256(data)).getSignature();
        return toDer(raw);
    }

    static byte[] toDer(byte[] raw) {
        if (raw == null || raw.length != 2 * P256_FIELD_BYTES) {
            throw new PkiException("Key Vault returned an ES256 signature of " + (raw == null ? 0 : raw.length)
                    + " bytes; expected " + 2 * P256_FIELD_BYTES + " (r || s)");
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, P256_FIELD_BYTES));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, P256_FIELD_BYTES, raw.length));
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
        } catch (IOException e) {
            throw new PkiException("cannot DER-encode the ECDSA signature", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new PkiException("SHA-256 is not available", e);
        }
    }
}
