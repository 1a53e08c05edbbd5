package dev.relaylink.plan;

import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.PkiException;
import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.pki.TrustBundle;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Why a leaf certificate (the server's, or a workload's client certificate) is replaced: a list of
 * small named rules, checked in order; the first that finds a reason decides. A certificate that
 * no rule objects to stays. Each rule reads the same {@link Input} and knows its own code.
 */
public final class CertificateRules {

    /** What the rules read about one certificate. */
    public record Input(Optional<List<X509Certificate>> chain, List<X509Certificate> cas, String issuingCa, RenewalPolicy policy,
                        Instant now, Subject subject) {
        Optional<X509Certificate> leaf() {
            return chain.filter(c -> !c.isEmpty()).map(c -> c.get(0));
        }
    }

    /**
     * Which subject the certificate must name: what to say when there is none, and what is wrong with a
     * leaf's name (null when it names the subject).
     */
    public record Subject(String noCertificate, Function<X509Certificate, String> nameProblem) {
    }

    /** One reason to replace a certificate: its code and the check that finds it (empty when the rule has no objection). */
    public record Rule(Reason code, Function<Input, Optional<String>> check) {
        public Optional<Replacement> apply(Input input) {
            return check.apply(input).map(message -> new Replacement(code, message));
        }
    }

    /** The decision: replace, with this code and this message for the audit log. */
    public record Replacement(Reason code, String message) {
    }

    /** No certificate, or a stored chain without one. */
    public static final Rule MISSING = new Rule(Reason.CERTIFICATE_MISSING, in -> in.chain().isEmpty()
            ? Optional.of(in.subject().noCertificate())
            : in.chain().get().isEmpty() ? Optional.of("the stored certificate chain is empty") : Optional.empty());

    /** The side has no CA left to trust it by. */
    public static final Rule UNTRUSTED = new Rule(Reason.UNTRUSTED, in -> in.leaf().isPresent() && in.cas().isEmpty()
            ? Optional.of("its CA is no longer trusted") : Optional.empty());

    /** The chain does not validate against the side's CAs now: expired, or signed by a foreign or retired CA. */
    public static final Rule CHAIN_INVALID = new Rule(Reason.CHAIN_INVALID, in -> {
        if (in.leaf().isEmpty() || in.cas().isEmpty()) {
            return Optional.empty();
        }
        try {
            ChainValidator.validate(in.chain().get(), TrustBundle.of(in.cas()), in.now());
            return Optional.empty();
        } catch (PkiException e) {
            return Optional.of("it does not validate against the trusted CAs");
        }
    });

    /** The leaf names another host (server) or workload (client) than the one it serves. */
    public static final Rule WRONG_NAME = new Rule(Reason.WRONG_NAME, in -> in.leaf().map(in.subject().nameProblem()));

    /** The renewal policy's time has come (an expired leaf is due too). */
    public static final Rule DUE = new Rule(Reason.CERTIFICATE_DUE, in -> in.leaf()
            .filter(leaf -> in.policy().isDue(leaf, in.now()))
            .map(leaf -> "due for renewal since " + in.policy().renewAt(leaf)));

    /**
     * Signed by a CA generation that no longer issues ({@code issuingCa} is the issuing one's fingerprint; null
     * while the side's first CA is being created): re-issued under the current CA well before the old one expires.
     */
    public static final Rule ISSUER_SUPERSEDED = new Rule(Reason.ISSUER_SUPERSEDED, in -> in.leaf()
            .filter(leaf -> in.issuingCa() != null)
            .flatMap(leaf -> Certificates.issuerIn(leaf, in.cas()))
            .map(Certificates::fingerprint)
            .filter(issuer -> !issuer.equals(in.issuingCa()))
            .map(issuer -> "its CA " + issuer.substring(0, 16) + " no longer issues: re-issued under the current CA well before the old one expires"));

    /** The rules in the order they are checked: the first reason found is the one recorded. */
    public static final List<Rule> RULES = List.of(MISSING, UNTRUSTED, CHAIN_INVALID, WRONG_NAME, DUE, ISSUER_SUPERSEDED);

    private CertificateRules() {
    }

    /** The first rule's reason to replace the certificate, or empty when it may stay. */
    public static Optional<Replacement> replacement(Input input) {
        for (Rule rule : RULES) {
            Optional<Replacement> found = rule.apply(input);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
