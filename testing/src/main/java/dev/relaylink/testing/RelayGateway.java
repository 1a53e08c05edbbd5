package dev.relaylink.testing;

import dev.relaylink.tls.MutualTls;
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
import java.util.List;
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
    private final AtomicReference<Supplier<Listener>> context;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread acceptor;
    private static final int MAX_REFUSALS = 20;
    private final java.util.ArrayDeque<String> refusals = new java.util.ArrayDeque<>();

    /** What one new connection is served with: the context and the handshake parameters (protocols, client auth). */
    public record Listener(SSLContext context, javax.net.ssl.SSLParameters parameters) {
    }

    private RelayGateway(Supplier<Listener> initial) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.context = new AtomicReference<>(initial);
        this.acceptor = Thread.ofVirtual().name("relay-gateway-accept").start(this::acceptLoop);
    }

    public static RelayGateway start(SSLContext context) throws IOException {
        return new RelayGateway(() -> new Listener(context, MutualTls.serverParameters()));
    }

    /** A gateway that asks {@code contexts} for the context of each new connection (e.g. rebuilt from its secrets). */
    public static RelayGateway start(Supplier<SSLContext> contexts) throws IOException {
        return new RelayGateway(() -> new Listener(contexts.get(), MutualTls.serverParameters()));
    }

    /** A gateway that asks {@code listeners} for the context and parameters of each new connection (e.g. from its policy). */
    public static RelayGateway startWith(Supplier<Listener> listeners) throws IOException {
        return new RelayGateway(listeners);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Why the latest failed connections failed (the last twenty, oldest first): e.g. the check that refused a client. */
    public List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    /** Serve new connections with {@code next}; connections already open keep their session. */
    public void reload(SSLContext next) {
        context.set(() -> new Listener(next, MutualTls.serverParameters()));
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
        try {
            Listener listener = context.get().get();
            serve(plain, listener);
        } catch (RuntimeException e) {
            // a context that cannot be built: the connection is closed without a handshake
            try {
                plain.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private void serve(Socket plain, Listener listener) {
        try (SSLSocket tls = (SSLSocket) listener.context().getSocketFactory().createSocket(plain, null, plain.getPort(), true)) {
            tls.setUseClientMode(false);
            tls.setSSLParameters(listener.parameters());
            tls.setSoTimeout(5_000);
            tls.startHandshake();
            BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
            String request = in.readLine();
            String uri = peerUri(tls);
            OutputStream out = tls.getOutputStream();
            out.write(("relay: " + request + " from " + uri + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException e) {
            // a refused handshake ends here: the client sees the alert; the reason is kept for whoever checks why
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            synchronized (refusals) {
                refusals.addLast(String.valueOf(root.getMessage()));
                if (refusals.size() > MAX_REFUSALS) {
                    refusals.removeFirst();
                }
            }
        } finally {
            try {
                plain.close();
            } catch (IOException ignored) {
                // already closed with the TLS socket
            }
        }
    }

    /** The caller's SPIFFE ID, or "?" where a weakened policy let a client in without a certificate. */
    private static String peerUri(SSLSocket tls) {
        try {
            X509Certificate peer = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            return dev.relaylink.pki.Certificates.spiffeId(peer).map(Object::toString).orElse("?");
        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
            return "?";
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
