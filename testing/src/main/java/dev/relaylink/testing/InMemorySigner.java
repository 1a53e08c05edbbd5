package dev.relaylink.testing;

import dev.relaylink.pki.Keys;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;

/** A signer holding its key in memory: for tests and the local run, never for a deployed CA. */
public final class InMemorySigner implements Signer {
    private final KeyPair keyPair;

    public InMemorySigner(KeyPair keyPair) {
        Keys.requireP256(keyPair.getPublic(), "CA key");
        this.keyPair = keyPair;
    }

    public static InMemorySigner generate() {
        return new InMemorySigner(Keys.generateP256());
    }

    @Override
    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    @Override
    public byte[] signSha256WithEcdsa(byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keyPair.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new PkiException("in-memory signing failed", e);
        }
    }
}
