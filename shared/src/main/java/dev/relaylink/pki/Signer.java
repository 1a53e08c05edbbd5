package dev.relaylink.pki;

import java.security.PublicKey;

/**
 * A CA private key that signs but never leaves its home: a KMS key on AWS, a Key Vault key on
 * Azure, an in-memory key only in tests and the local run.
 */
public interface Signer {

    /** The P-256 public key matching the private key. */
    PublicKey publicKey();

    /** ECDSA P-256 with SHA-256 over {@code data}; the signature is DER-encoded (RFC 3279). */
    byte[] signSha256WithEcdsa(byte[] data);
}
