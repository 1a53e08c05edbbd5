package dev.relaylink.tls;

import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.SpiffeId;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The gateway's client check, as Envoy applies a ClientTrafficPolicy's client validation: PKIX
 * against the client CA bundle first, then the leaf must not be listed by a revocation list of its
 * issuer, then the workload's SPIFFE ID must match one of the SAN matchers. A valid certificate for
 * an unlisted workload, or a revoked one, is refused.
 */
final class SpiffeAllowListTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Predicate<String> allowed;
    private final List<X509CRL> revocations;

    SpiffeAllowListTrustManager(X509ExtendedTrustManager pkix, Predicate<String> allowed, List<X509CRL> revocations) {
        this.pkix = pkix;
        this.allowed = allowed;
        this.revocations = List.copyOf(revocations);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        requireAllowed(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        requireAllowed(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        requireAllowed(chain);
    }

    private void requireAllowed(X509Certificate[] chain) throws CertificateException {
        for (X509CRL crl : revocations) {
            if (crl.getIssuerX500Principal().equals(chain[0].getIssuerX500Principal()) && crl.isRevoked(chain[0])) {
                throw new CertificateException("client certificate serial " + chain[0].getSerialNumber().toString(16) + " is revoked");
            }
        }
        Optional<SpiffeId> id = Certificates.spiffeId(chain[0]);
        if (id.isEmpty()) {
            throw new CertificateException("client certificate has no single SPIFFE URI SAN");
        }
        if (!allowed.test(id.get().toString())) {
            throw new CertificateException("SPIFFE ID " + id.get() + " matches no SAN matcher of the gateway's policy");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager only checks clients");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("this trust manager only checks clients");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager only checks clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
