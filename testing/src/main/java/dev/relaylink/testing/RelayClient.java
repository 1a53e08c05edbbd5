package dev.relaylink.testing;

import dev.relaylink.tls.MutualTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A workload calling relay: connects to 127.0.0.1:{@code port} but verifies the server as
 * {@code hostName} (SNI and host name check), as a pod does through the private endpoint.
 */
public final class RelayClient {
    private RelayClient() {
    }

    /** Sends one line and returns relay's answer; throws if the handshake or the call fails. */
    public static String call(SSLContext context, String hostName, int port, String message) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, hostName, port, true)) {
            tls.setSSLParameters(MutualTls.clientParameters());
            tls.setSoTimeout(5_000);
            tls.startHandshake();
            tls.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
            tls.getOutputStream().flush();
            String answer = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (answer == null) {
                throw new IOException("relay closed the connection without an answer (client certificate refused?)");
            }
            return answer;
        }
    }
}
