package dev.relaylink.tls;

import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.SpiffeId;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The gateway's client check: PKIX against the client CA bundle first, then the workload's SPIFFE
 * ID must be on the allow-list. A valid certificate for an unlisted workload is refused.
 */
final class SpiffeAllowListTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Set<SpiffeId> allowed;

    SpiffeAllowListTrustManager(X509ExtendedTrustManager pkix, Set<SpiffeId> allowed) {
        this.pkix = pkix;
        this.allowed = Set.copyOf(allowed);
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
        Optional<SpiffeId> id = Certificates.spiffeId(chain[0]);
        if (id.isEmpty()) {
            throw new CertificateException("client certificate has no single SPIFFE URI SAN");
        }
        if (!allowed.contains(id.get())) {
            throw new CertificateException("SPIFFE ID " + id.get() + " is not on the allow-list");
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
