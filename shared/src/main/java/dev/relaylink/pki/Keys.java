package dev.relaylink.pki;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/** P-256 key generation and checks. The JDK's EC provider generates keys: no Bouncy Castle provider to load. */
public final class Keys {
    private static final ECParameterSpec P256 = p256Params();

    private Keys() {
    }

    public static KeyPair generateP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate a P-256 key", e);
        }
    }

    /** Throws unless {@code key} is an EC key on the NIST P-256 curve; {@code what} names it in the error. */
    public static void requireP256(PublicKey key, String what) {
        if (!(key instanceof ECPublicKey ec)) {
            throw new PkiException(what + ": expected an ECDSA P-256 key, got " + key.getAlgorithm()
                    + (key.getAlgorithm().equals("RSA") ? " (RSA is not accepted)" : ""));
        }
        ECParameterSpec params = ec.getParams();
        if (!params.getOrder().equals(P256.getOrder()) || !params.getCurve().equals(P256.getCurve())
                || !params.getGenerator().equals(P256.getGenerator())) {
            throw new PkiException(what + ": expected an ECDSA P-256 key, got an EC key on a "
                    + params.getCurve().getField().getFieldSize() + "-bit curve");
        }
    }

    private static ECParameterSpec p256Params() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
