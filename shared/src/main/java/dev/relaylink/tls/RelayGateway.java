package dev.relaylink.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A stand-in for the EKS gateway in front of relay, on 127.0.0.1: terminates mutual TLS with the
 * context it is given and answers one line per connection with the caller's verified identity.
 * The context is swappable, as a gateway reloads its secret after rotation; each new connection
 * uses the current one.
 */
public final class RelayGateway implements AutoCloseable {
    private final ServerSocket listener;
    private final AtomicReference<Supplier<SSLContext>> context;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread acceptor;

    private RelayGateway(Supplier<SSLContext> initial) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.context = new AtomicReference<>(initial);
        this.acceptor = Thread.ofVirtual().name("relay-gateway-accept").start(this::acceptLoop);
    }

    public static RelayGateway start(SSLContext context) throws IOException {
        return new RelayGateway(() -> context);
    }

    /** A gateway that asks {@code contexts} for the context of each new connection (e.g. rebuilt from its secrets). */
    public static RelayGateway start(Supplier<SSLContext> contexts) throws IOException {
        return new RelayGateway(contexts);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Serve new connections with {@code next}; connections already open keep their session. */
    public void reload(SSLContext next) {
        context.set(() -> next);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket plain = listener.accept();
                workers.execute(() -> serve(plain));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // one bad accept must not stop the gateway
            }
        }
    }

    private void serve(Socket plain) {
        try (SSLSocket tls = (SSLSocket) context.get().get().getSocketFactory().createSocket(plain, null, plain.getPort(), true)) {
            tls.setUseClientMode(false);
            tls.setSSLParameters(MutualTls.serverParameters());
            tls.setSoTimeout(5_000);
            tls.startHandshake();
            X509Certificate peer = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
            String request = in.readLine();
            String uri = dev.relaylink.pki.Certificates.spiffeId(peer).map(Object::toString).orElse("?");
            OutputStream out = tls.getOutputStream();
            out.write(("relay: " + request + " from " + uri + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException e) {
            // a refused handshake (or a context that cannot be built) ends here: the client sees the alert
        } finally {
            try {
                plain.close();
            } catch (IOException ignored) {
                // already closed with the TLS socket
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        workers.shutdownNow();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
