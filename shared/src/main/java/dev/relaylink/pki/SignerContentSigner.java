package dev.relaylink.pki;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/** Bouncy Castle's signing hook, backed by a {@link Signer}: the TBS bytes go out, a signature comes back. */
final class SignerContentSigner implements ContentSigner {
    private static final AlgorithmIdentifier SHA256_WITH_ECDSA =
            new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");

    private final Signer signer;
    private final ByteArrayOutputStream tbs = new ByteArrayOutputStream(512);

    SignerContentSigner(Signer signer) {
        this.signer = signer;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return SHA256_WITH_ECDSA;
    }

    @Override
    public OutputStream getOutputStream() {
        return tbs;
    }

    @Override
    public byte[] getSignature() {
        return signer.signSha256WithEcdsa(tbs.toByteArray());
    }
}
