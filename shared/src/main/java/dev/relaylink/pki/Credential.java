package dev.relaylink.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A leaf's private key with its certificate chain (leaf first). Never logged: {@link #toString} hides the key. */
public record Credential(PrivateKey key, List<X509Certificate> chain) {
    public Credential {
        if (chain.isEmpty()) {
            throw new PkiException("a credential needs at least its leaf certificate");
        }
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public static Credential fromPem(String certificatePem, String keyPem) {
        return new Credential(Pem.readPrivateKey(keyPem), Pem.readCertificates(certificatePem));
    }

    @Override
    public String toString() {
        return "Credential[" + leaf().getSubjectX500Principal().getName() + ", serial " + Certificates.serialHex(leaf()) + "]";
    }
}
