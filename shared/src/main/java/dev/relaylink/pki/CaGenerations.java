package dev.relaylink.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one rule for a side's CA generations, kept by every {@code OwnedCa} the same way: the
 * published list of CA certificates is the trust bundle (every generation still trusted), and its
 * order is the state. The first certificate issues; a later one newer than it is the next
 * generation (created, trusted, not issuing yet); an older one is a previous generation (no longer
 * issuing, trusted until it expires, which is when its last leaf expired too: no leaf outlives its CA).
 * A retired generation is in no list. Adapters only store the list these functions return.
 */
public final class CaGenerations {
    /**
     * How long a new CA may take to reach every bundle on both clouds and be seen there: a publish,
     * a bundle write, an acknowledgement and the switch are four reconcile runs (30 minutes apart on
     * AWS, 15 on Azure by default); a day also covers one side's reconcile failing for most of a day.
     * The spec reader wants {@code certificates.ca.renewBefore} longer than this plus the longest leaf lifetime.
     */
    public static final Duration BUNDLE_TRAVEL = Duration.ofDays(1);

    public enum State { ISSUING, NEXT, PREVIOUS }

    /** One CA generation: its certificate (the key stays in KMS / Key Vault) and its state. */
    public record Generation(X509Certificate certificate, State state) {
        public String fingerprint() {
            return Certificates.fingerprint(certificate);
        }

        public Instant notAfter() {
            return certificate.getNotAfter().toInstant();
        }
    }

    private CaGenerations() {
    }

    /** The generations of a published list (issuing first). */
    public static List<Generation> of(List<X509Certificate> published) {
        List<Generation> generations = new ArrayList<>();
        for (int i = 0; i < published.size(); i++) {
            X509Certificate ca = published.get(i);
            State state = i == 0 ? State.ISSUING
                    : ca.getNotBefore().after(published.get(0).getNotBefore()) ? State.NEXT : State.PREVIOUS;
            generations.add(new Generation(ca, state));
        }
        return List.copyOf(generations);
    }

    public static Optional<Generation> issuing(List<X509Certificate> published) {
        return of(published).stream().filter(g -> g.state() == State.ISSUING).findFirst();
    }

    /** The newest next generation, if one was created and does not issue yet. */
    public static Optional<Generation> next(List<X509Certificate> published) {
        return of(published).stream().filter(g -> g.state() == State.NEXT).reduce((a, b) -> b);
    }

    public static List<Generation> previous(List<X509Certificate> published) {
        return of(published).stream().filter(g -> g.state() == State.PREVIOUS).toList();
    }

    /** The list with {@code created} added: the first CA issues at once; a later one is the next generation. */
    public static List<X509Certificate> withCreated(List<X509Certificate> published, X509Certificate created) {
        List<X509Certificate> list = new ArrayList<>(without(published, created));
        list.add(created);
        return List.copyOf(list);
    }

    /** The list with {@code ca} issuing (moved first); the others keep their order. */
    public static List<X509Certificate> withIssuing(List<X509Certificate> published, X509Certificate ca) {
        if (find(published, ca).isEmpty()) {
            throw new PkiException("CA " + Certificates.fingerprint(ca) + " is not published: it cannot issue");
        }
        List<X509Certificate> list = new ArrayList<>();
        list.add(ca);
        list.addAll(without(published, ca));
        return List.copyOf(list);
    }

    /** The list without {@code ca} (retired); the issuing CA can never be removed. */
    public static List<X509Certificate> withRetired(List<X509Certificate> published, X509Certificate ca) {
        if (!published.isEmpty() && Certificates.fingerprint(published.get(0)).equals(Certificates.fingerprint(ca))) {
            throw new PkiException("CA " + Certificates.fingerprint(ca) + " issues: it cannot be retired");
        }
        return without(published, ca);
    }

    /**
     * What making {@code ca} the issuing CA changes: the new list, or empty when it issues already
     * (a retry). Refuses a CA that is not published, before a store changes anything.
     */
    public static Optional<List<X509Certificate>> afterStartIssuing(List<X509Certificate> published, X509Certificate ca) {
        if (!published.isEmpty() && Certificates.fingerprint(published.get(0)).equals(Certificates.fingerprint(ca))) {
            return Optional.empty();
        }
        return Optional.of(withIssuing(published, ca));
    }

    /**
     * What retiring {@code ca} changes: the list without it, or empty when it is in no list (retired
     * before, with its key: a retry does nothing). Refuses the issuing CA before a store puts any key
     * out of use: a store retires the key only when this returns a list, and publishes that list after.
     */
    public static Optional<List<X509Certificate>> afterRetiring(List<X509Certificate> published, X509Certificate ca) {
        if (find(published, ca).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(withRetired(published, ca));
    }

    public static Optional<X509Certificate> find(List<X509Certificate> published, X509Certificate ca) {
        String fingerprint = Certificates.fingerprint(ca);
        return published.stream().filter(c -> Certificates.fingerprint(c).equals(fingerprint)).findFirst();
    }

    public static Optional<X509Certificate> find(List<X509Certificate> published, String fingerprint) {
        return published.stream().filter(c -> Certificates.fingerprint(c).equals(fingerprint)).findFirst();
    }

    private static List<X509Certificate> without(List<X509Certificate> published, X509Certificate ca) {
        String fingerprint = Certificates.fingerprint(ca);
        return published.stream().filter(c -> !Certificates.fingerprint(c).equals(fingerprint)).toList();
    }
}
