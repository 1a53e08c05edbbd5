package dev.relaylink.testing;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Credential;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.SpiffeId;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Certificates for tests: two CAs like the real link's, plus leaves issued at any time. */
public final class TestPki {
    public static final String RELAY_HOST = "relay.eks.internal.example";
    public static final String TRUST_DOMAIN = "aks.example";

    public final CertificateAuthority serverCa;
    public final CertificateAuthority clientCa;

    public TestPki(Instant now) {
        this.serverCa = CertificateAuthority.selfSigned(InMemorySigner.generate(), "relay-link server CA", now.minus(Duration.ofDays(1)), Duration.ofDays(365));
        this.clientCa = CertificateAuthority.selfSigned(InMemorySigner.generate(), "relay-link client CA", now.minus(Duration.ofDays(1)), Duration.ofDays(365));
    }

    public Credential server(String host, Instant now, Duration lifetime) {
        return issueServer(serverCa, host, now, lifetime);
    }

    public Credential client(SpiffeId id, Instant now, Duration lifetime) {
        return issueClient(clientCa, id, now, lifetime);
    }

    public static Credential issueServer(CertificateAuthority ca, String host, Instant now, Duration lifetime) {
        KeyPair key = Keys.generateP256();
        return new Credential(key.getPrivate(), List.of(ca.issueServer(key.getPublic(), host, now, lifetime)));
    }

    public static Credential issueClient(CertificateAuthority ca, SpiffeId id, Instant now, Duration lifetime) {
        KeyPair key = Keys.generateP256();
        return new Credential(key.getPrivate(), List.of(ca.issueClient(key.getPublic(), id, now, lifetime)));
    }

    public static SpiffeId workload(String namespace, String serviceAccount) {
        return new SpiffeId(TRUST_DOMAIN, namespace, serviceAccount);
    }
}
