package dev.relaylink.usecase;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.port.OwnedCa;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.port.GatewayProbe;
import dev.relaylink.port.ServerCertificateStore;
import dev.relaylink.spec.LinkSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Rotates the relay server certificate with the Secrets Manager protocol. Each step is idempotent
 * for its token, so a crash after any step is mended by running the steps again:
 * <ol>
 *   <li>createSecret: a new key and certificate from the server CA, stored as pending;</li>
 *   <li>setSecret: the pending version written to the EKS gateway's TLS secret;</li>
 *   <li>testSecret: a TLS handshake proves the gateway serves it and it validates for the host name;
 *       on failure the gateway secret goes back to the current version and current stays as it was;</li>
 *   <li>finishSecret: the pending version becomes current.</li>
 * </ol>
 * The trusting side never disagrees: the new leaf comes from a CA already in every server bundle.
 */
public final class ServerCertificateRotation {
    private final LinkSpec spec;
    private final OwnedCa serverCa;
    private final ServerCertificateStore store;
    private final ClusterSecrets eks;
    private final GatewayProbe probe;
    private final Clock clock;
    private final int probeAttempts;
    private final Duration probeInterval;

    public ServerCertificateRotation(LinkSpec spec, OwnedCa serverCa, ServerCertificateStore store, ClusterSecrets eks,
                                     GatewayProbe probe, Clock clock, int probeAttempts, Duration probeInterval) {
        this.spec = spec;
        this.serverCa = serverCa;
        this.store = store;
        this.eks = eks;
        this.probe = probe;
        this.clock = clock;
        this.probeAttempts = probeAttempts;
        this.probeInterval = probeInterval;
    }

    /**
     * The token of a planned rotation (the reconcile's, beside Secrets Manager's own schedule, which
     * brings its token): derived from the current certificate and the UTC day, so every retry of the
     * same rotation on the same day uses the same token (a crash after createSecret reuses its pending
     * version), and a new one starts once current changed.
     */
    public String plannedToken() {
        String current = store.current().map(c -> Certificates.fingerprint(c.leaf())).orElse("none");
        String day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        return UUID.nameUUIDFromBytes(("server-rotation:" + current + ":" + day).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A rotation the plan asks for: the four steps under {@link #plannedToken()}. */
    public void rotatePlanned() {
        rotate(plannedToken());
    }

    public void rotate(String token) {
        createSecret(token);
        setSecret(token);
        testSecret(token);
        finishSecret(token);
    }

    /** @return whether it stored a new version (false: this token's version exists already) */
    public boolean createSecret(String token) {
        if (store.pending(token).isPresent() || store.currentToken().filter(token::equals).isPresent()) {
            return false;
        }
        CertificateAuthority ca = serverCa.current().orElseThrow(() -> new IllegalStateException("the server CA does not exist yet"));
        KeyPair key = Keys.generateP256();
        X509Certificate leaf = ca.issueServer(key.getPublic(), spec.relay().hostName(), clock.instant(), spec.certificates().server().lifetime());
        store.putPending(token, new Credential(key.getPrivate(), List.of(leaf)));
        return true;
    }

    /** @return whether the gateway's TLS secret changed (false: it carries this version already) */
    public boolean setSecret(String token) {
        return eks.applyTls(spec.relay().namespace(), spec.relay().tlsSecret(), version(token), Optional.empty());
    }

    /** A check: it changes nothing when it passes, so it always returns false. */
    public boolean testSecret(String token) {
        Credential expected = version(token);
        try {
            verifyServed(expected);
        } catch (RuntimeException e) {
            // Put the gateway back on the working certificate; current is untouched and the rotation can be retried.
            store.current().ifPresent(current -> eks.applyTls(spec.relay().namespace(), spec.relay().tlsSecret(), current, Optional.empty()));
            throw e;
        }
        return false;
    }

    /** @return whether the pending version became current (false: it is current already) */
    public boolean finishSecret(String token) {
        if (store.currentToken().filter(token::equals).isPresent()) {
            return false;
        }
        if (store.pending(token).isEmpty()) {
            throw new IllegalStateException("no pending server certificate for token " + token);
        }
        store.promote(token);
        return true;
    }

    private Credential version(String token) {
        if (store.currentToken().filter(token::equals).isPresent()) {
            return store.current().orElseThrow();
        }
        return store.pending(token).orElseThrow(() -> new IllegalStateException("no pending server certificate for token " + token));
    }

    private void verifyServed(Credential expected) {
        String host = spec.relay().hostName();
        String wanted = Certificates.fingerprint(expected.leaf());
        String seen = "nothing";
        for (int attempt = 1; attempt <= probeAttempts; attempt++) {
            try {
                List<X509Certificate> served = probe.servedChain(host);
                seen = Certificates.fingerprint(served.get(0));
                if (seen.equals(wanted)) {
                    Instant now = clock.instant();
                    ChainValidator.validate(served, TrustBundle.of(serverCa.certificates()), now);
                    if (!Certificates.dnsNames(served.get(0)).contains(host)) {
                        throw new PkiException("the served certificate does not name " + host);
                    }
                    return;
                }
            } catch (IOException e) {
                seen = "no handshake (" + e.getMessage() + ")";
            }
            sleep(); // the gateway reloads its secret asynchronously
        }
        throw new IllegalStateException("testSecret: the gateway does not serve the pending certificate " + wanted.substring(0, 16)
                + " after " + probeAttempts + " attempts (saw " + (seen.length() > 16 && !seen.startsWith("no ") ? seen.substring(0, 16) : seen) + ")");
    }

    private void sleep() {
        try {
            Thread.sleep(probeInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the gateway", e);
        }
    }
}
