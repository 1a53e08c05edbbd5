package dev.relaylink.tls;

import dev.relaylink.pki.PkiException;
import dev.relaylink.port.GatewayProbe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the chain the gateway serves with a TLS 1.3 handshake to {@code address}, sending the relay
 * host name as SNI. It only records the chain: the caller validates it (PKIX, host name, expected
 * fingerprint). It presents no client certificate and sends no application data, so the gateway
 * refusing it afterwards is expected and harmless.
 */
public final class TlsGatewayProbe implements GatewayProbe {
    private final InetSocketAddress address;

    public TlsGatewayProbe(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public List<X509Certificate> servedChain(String hostName) throws IOException {
        AtomicReference<X509Certificate[]> served = new AtomicReference<>();
        SSLContext context;
        try {
            context = SSLContext.getInstance(MutualTls.PROTOCOL);
            context.init(null, new X509TrustManager[] {new Recording(served)}, null);
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build the probe's TLS context", e);
        }
        Socket plain = new Socket();
        // An address given unresolved is looked up at each probe: DNS says where the gateway is now,
        // not when the function started (a container lives for hours, a snapshot even longer).
        plain.connect(address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address, 5_000);
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, hostName, address.getPort(), true)) {
            SSLParameters parameters = new SSLParameters();
            parameters.setProtocols(new String[] {MutualTls.PROTOCOL});
            parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(hostName)));
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(5_000);
            tls.startHandshake();
        } catch (IOException e) {
            if (served.get() == null) {
                throw e;
            }
        }
        if (served.get() == null) {
            throw new IOException("the gateway at " + address + " presented no certificate");
        }
        return List.of(served.get());
    }

    /** Records the server's chain; validation happens afterwards, against the expected certificate. */
    private record Recording(AtomicReference<X509Certificate[]> served) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            served.set(chain.clone());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a probe never acts as a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
