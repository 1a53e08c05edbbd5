package dev.relaylink.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.pki.CertificateAuthority;
import dev.relaylink.pki.Certificates;
import dev.relaylink.testing.InMemorySigner;
import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each replacement rule on its own, and the order in which they decide. */
class CertificateRulesTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final TestPki PKI = new TestPki(NOW);
    private static final String HOST = TestPki.RELAY_HOST;
    private static final RenewalPolicy POLICY = RenewalPolicy.before(Duration.ofDays(30), Duration.ofDays(10));
    private static final CertificateRules.Subject RELAY = new CertificateRules.Subject("no server certificate exists",
            leaf -> Certificates.dnsNames(leaf).equals(List.of(HOST)) ? null : "its DNS SAN is not " + HOST);

    private static CertificateRules.Input input(List<X509Certificate> chain, List<X509Certificate> cas, String issuingCa) {
        return new CertificateRules.Input(Optional.ofNullable(chain), cas, issuingCa, POLICY, NOW, RELAY);
    }

    private static List<X509Certificate> server(String host, Instant issued) {
        return PKI.server(host, issued, Duration.ofDays(30)).chain();
    }

    private static final List<X509Certificate> CAS = List.of(PKI.serverCa.certificate());
    private static final String ISSUING = Certificates.fingerprint(PKI.serverCa.certificate());

    @Test
    void noRuleObjectsToAFreshCertificateForTheHostFromTheIssuingCa() {
        CertificateRules.Input fresh = input(server(HOST, NOW.minus(Duration.ofHours(1))), CAS, ISSUING);
        assertThat(CertificateRules.RULES).allSatisfy(rule -> assertThat(rule.apply(fresh)).as(rule.code().name()).isEmpty());
        assertThat(CertificateRules.replacement(fresh)).isEmpty();
    }

    @Test
    void eachRuleFindsItsOwnReason() {
        assertThat(CertificateRules.MISSING.apply(input(null, CAS, ISSUING))).hasValue(
                new CertificateRules.Replacement(Reason.CERTIFICATE_MISSING, "no server certificate exists"));
        assertThat(CertificateRules.MISSING.apply(input(List.of(), CAS, ISSUING))).map(CertificateRules.Replacement::message)
                .hasValue("the stored certificate chain is empty");
        assertThat(CertificateRules.UNTRUSTED.apply(input(server(HOST, NOW), List.of(), ISSUING))).map(CertificateRules.Replacement::code)
                .hasValue(Reason.UNTRUSTED);
        assertThat(CertificateRules.CHAIN_INVALID.apply(input(server(HOST, NOW.minus(Duration.ofDays(31))), CAS, ISSUING)))
                .map(CertificateRules.Replacement::code).hasValue(Reason.CHAIN_INVALID);
        assertThat(CertificateRules.WRONG_NAME.apply(input(server("shop.example.com", NOW), CAS, ISSUING)))
                .hasValue(new CertificateRules.Replacement(Reason.WRONG_NAME, "its DNS SAN is not " + HOST));
        assertThat(CertificateRules.DUE.apply(input(server(HOST, NOW.minus(Duration.ofDays(21))), CAS, ISSUING)))
                .map(CertificateRules.Replacement::code).hasValue(Reason.CERTIFICATE_DUE);
        CertificateAuthority next = CertificateAuthority.selfSigned(InMemorySigner.generate(), "relay-link server CA", NOW, Duration.ofDays(365));
        assertThat(CertificateRules.ISSUER_SUPERSEDED.apply(input(server(HOST, NOW), List.of(next.certificate(), PKI.serverCa.certificate()),
                Certificates.fingerprint(next.certificate())))).map(CertificateRules.Replacement::code).hasValue(Reason.ISSUER_SUPERSEDED);
    }

    @Test
    void aRuleWithoutItsInputsHasNoObjection() {
        // Every rule but MISSING reads the leaf: with none, only MISSING speaks, so the list's order is not what keeps them safe.
        assertThat(CertificateRules.RULES).filteredOn(rule -> rule != CertificateRules.MISSING)
                .allSatisfy(rule -> assertThat(rule.apply(input(null, CAS, ISSUING))).as(rule.code().name()).isEmpty());
        // While the first CA is being created there is no issuing CA: nothing is superseded.
        assertThat(CertificateRules.ISSUER_SUPERSEDED.apply(input(server(HOST, NOW), CAS, null))).isEmpty();
    }

    @Test
    void theFirstRuleThatObjectsDecides() {
        // Expired, for the wrong host and past its renewal time: the chain check comes first.
        assertThat(CertificateRules.replacement(input(server("shop.example.com", NOW.minus(Duration.ofDays(31))), CAS, ISSUING)))
                .map(CertificateRules.Replacement::code).hasValue(Reason.CHAIN_INVALID);
        // For the wrong host and due: the name comes before the renewal time.
        assertThat(CertificateRules.replacement(input(server("shop.example.com", NOW.minus(Duration.ofDays(21))), CAS, ISSUING)))
                .map(CertificateRules.Replacement::code).hasValue(Reason.WRONG_NAME);
        assertThat(CertificateRules.RULES).extracting(CertificateRules.Rule::code).containsExactly(Reason.CERTIFICATE_MISSING,
                Reason.UNTRUSTED, Reason.CHAIN_INVALID, Reason.WRONG_NAME, Reason.CERTIFICATE_DUE, Reason.ISSUER_SUPERSEDED);
    }
}
