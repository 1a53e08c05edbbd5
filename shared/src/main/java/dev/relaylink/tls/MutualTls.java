package dev.relaylink.tls;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.pki.TrustBundle;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.CertPathTrustManagerParameters;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * JSSE contexts for both ends of the link, built only from relay-link's material: TLS 1.3 only,
 * client certificates required on the server, host name verification on the client.
 */
public final class MutualTls {
    public static final String PROTOCOL = "TLSv1.3";
    private static final char[] NO_PASSWORD = new char[0];

    private MutualTls() {
    }

    /** The gateway: serves {@code server}, trusts {@code clientCas}, admits only {@code allowed} workloads. */
    public static SSLContext serverContext(Credential server, TrustBundle clientCas, Set<SpiffeId> allowed) {
        return serverContext(server, clientCas, allowed, null);
    }

    /** The same, checking certificate validity at the time of {@code clock} (null: the system's) at each handshake. */
    public static SSLContext serverContext(Credential server, TrustBundle clientCas, Set<SpiffeId> allowed, Clock clock) {
        Set<String> uris = allowed.stream().map(SpiffeId::toString).collect(java.util.stream.Collectors.toUnmodifiableSet());
        return serverContext(server, clientCas, uris::contains, List.of(), clock);
    }

    /**
     * The gateway as its client validation policy configures it: serves {@code server}, trusts
     * {@code clientCas}, refuses a leaf that a revocation list of its issuer lists, and admits a
     * workload only when {@code allowedUri} matches its SPIFFE ID.
     */
    public static SSLContext serverContext(Credential server, TrustBundle clientCas, Predicate<String> allowedUri, List<X509CRL> revocations) {
        return serverContext(server, clientCas, allowedUri, revocations, null);
    }

    /** The same, checking certificate validity at the time of {@code clock} (null: the system's) at each handshake. */
    public static SSLContext serverContext(Credential server, TrustBundle clientCas, Predicate<String> allowedUri, List<X509CRL> revocations,
                                           Clock clock) {
        X509ExtendedTrustManager pkix = clock == null ? pkixTrustManager(clientCas, null) : new ClockedTrustManager(clientCas, clock);
        return context(keyManagers(server), new TrustManager[] {new SpiffeAllowListTrustManager(pkix, allowedUri, revocations)});
    }

    /** A listener that verifies no client (a gateway listener without client validation). */
    public static SSLContext serverOnlyContext(Credential server) {
        return context(keyManagers(server), null);
    }

    /** A workload: presents {@code client}, trusts only {@code serverCas}. */
    public static SSLContext clientContext(Credential client, TrustBundle serverCas) {
        return clientContext(client, serverCas, null);
    }

    public static SSLContext clientContext(Credential client, TrustBundle serverCas, Clock clock) {
        return context(keyManagers(client), new TrustManager[] {clock == null ? pkixTrustManager(serverCas, null) : new ClockedTrustManager(serverCas, clock)});
    }

    /** PKIX checks at the time of a clock (a simulated one in tests), built for each handshake from the same bundle. */
    private static final class ClockedTrustManager extends X509ExtendedTrustManager {
        private final TrustBundle bundle;
        private final Clock clock;

        ClockedTrustManager(TrustBundle bundle, Clock clock) {
            this.bundle = bundle;
            this.clock = clock;
        }

        private X509ExtendedTrustManager now() {
            return pkixTrustManager(bundle, clock.instant());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws java.security.cert.CertificateException {
            now().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws java.security.cert.CertificateException {
            now().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) throws java.security.cert.CertificateException {
            now().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) throws java.security.cert.CertificateException {
            now().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            now().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            now().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return bundle.certificates().toArray(X509Certificate[]::new);
        }
    }

    public static SSLParameters serverParameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setNeedClientAuth(true);
        return parameters;
    }

    /** Client parameters that check the server certificate's DNS SAN against {@code hostName}. */
    public static SSLParameters clientParameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    private static SSLContext context(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build a TLS 1.3 context", e);
        }
    }

    private static KeyManager[] keyManagers(Credential credential) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("leaf", credential.key(), NO_PASSWORD, credential.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(store, NO_PASSWORD);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new PkiException("cannot load the TLS credential", e);
        }
    }

    private static X509ExtendedTrustManager pkixTrustManager(TrustBundle bundle, Instant validAt) {
        if (bundle.certificates().isEmpty()) {
            throw new PkiException("cannot trust an empty CA bundle");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : bundle.certificates()) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            if (validAt == null) {
                factory.init(store);
            } else {
                PKIXBuilderParameters parameters = new PKIXBuilderParameters(store, new X509CertSelector());
                parameters.setRevocationEnabled(false); // as the default: short-lived leaves are rotated, not revoked
                parameters.setDate(Date.from(validAt));
                factory.init(new CertPathTrustManagerParameters(parameters));
            }
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new PkiException("no X.509 trust manager available");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new PkiException("cannot load the trust bundle", e);
        }
    }
}
