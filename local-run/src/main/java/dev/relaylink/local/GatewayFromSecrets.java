package dev.relaylink.local;

import dev.relaylink.k8s.ClusterSecretData;
import dev.relaylink.k8s.KubernetesGatewayPolicy;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.GatewayClientPolicy;
import dev.relaylink.tls.MutualTls;
import dev.relaylink.testing.RelayGateway;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;

/**
 * The EKS gateway's configuration, taken only from what Envoy Gateway reads: the listener's TLS
 * secret, and the ClientTrafficPolicy that targets the listener with the Secrets it references
 * (the CA bundle in {@code ca.crt}, the CRL in {@code ca.crl}). Without a policy for the listener
 * Envoy verifies no client certificate, and neither does this stand-in. Rebuilt when any object
 * changes (by resourceVersion), the way Envoy Gateway reloads a referenced object.
 */
final class GatewayFromSecrets implements Supplier<RelayGateway.Listener> {
    private final ClusterReader eks;
    private final LinkSpec.Relay relay;
    private String version = "";
    private RelayGateway.Listener listener;
    private final java.time.Clock clock;

    /** Client certificates are checked at the time of {@code clock}, the link's. */
    GatewayFromSecrets(ClusterReader eks, LinkSpec.Relay relay, java.time.Clock clock) {
        this.eks = eks;
        this.relay = relay;
        this.clock = clock;
    }

    @Override
    public synchronized RelayGateway.Listener get() {
        Secret tls = eks.secret(relay.namespace(), relay.tlsSecret()).orElseThrow(() -> new IllegalStateException("no gateway TLS secret"));
        Optional<GenericKubernetesResource> found = eks.clientTrafficPolicy(relay.namespace(), relay.clientTrafficPolicy());
        Optional<GatewayClientPolicy> policy = found.map(object -> KubernetesGatewayPolicy.parse(relay.namespace(), relay.clientTrafficPolicy(),
                        dev.relaylink.audit.JsonLines.JSON.valueToTree(object.getAdditionalProperties().get("spec"))))
                .filter(p -> p.targets().contains(GatewayClientPolicy.target(relay.gateway(), relay.listener())));
        List<Secret> cas = policy.map(p -> secrets(p.caCertificateRefs())).orElse(List.of());
        List<Secret> crls = policy.map(p -> secrets(p.crlRefs())).orElse(List.of());
        StringBuilder seen = new StringBuilder(tls.getMetadata().getResourceVersion());
        found.ifPresent(object -> seen.append('/').append(object.getMetadata().getResourceVersion()));
        cas.forEach(s -> seen.append("/ca:").append(s.getMetadata().getResourceVersion()));
        crls.forEach(s -> seen.append("/crl:").append(s.getMetadata().getResourceVersion()));
        if (!seen.toString().equals(version)) {
            listener = build(tls, policy, cas, crls);
            version = seen.toString();
        }
        return listener;
    }

    private RelayGateway.Listener build(Secret tls, Optional<GatewayClientPolicy> policy, List<Secret> cas, List<Secret> crls) {
        Credential served = Credential.fromPem(ClusterReader.value(tls, "tls.crt"), ClusterReader.value(tls, "tls.key"));
        SSLParameters parameters = MutualTls.serverParameters();
        if (policy.isEmpty()) {
            // No client validation on the listener: any client completes the handshake.
            parameters.setNeedClientAuth(false);
            parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            return new RelayGateway.Listener(MutualTls.serverOnlyContext(served), parameters);
        }
        GatewayClientPolicy p = policy.get();
        StringBuilder bundle = new StringBuilder();
        cas.forEach(secret -> bundle.append(ClusterReader.value(secret, ClusterSecretData.CA_CERT)));
        TrustBundle trusted = TrustBundle.parse(bundle.toString());
        List<X509CRL> revocations = new ArrayList<>();
        for (Secret secret : crls) {
            revocations.addAll(revocationLists(ClusterReader.value(secret, ClusterSecretData.CA_CRL), trusted));
        }
        parameters.setProtocols("1.3".equals(p.minVersion()) ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"});
        if (!GatewayClientPolicy.REQUIRE_AND_VERIFY.equals(p.mode())) {
            parameters.setWantClientAuth(true); // verified when given, not required
        }
        return new RelayGateway.Listener(MutualTls.serverContext(served, trusted, matchers(p.subjectAltNameUris()), revocations, clock), parameters);
    }

    private List<Secret> secrets(List<String> refs) {
        List<Secret> found = new ArrayList<>();
        for (String ref : refs) {
            String[] parts = ref.split("/", 3);
            if (!"Secret".equals(parts[0])) {
                throw new IllegalStateException("the stand-in gateway reads Secrets only, the policy references " + ref);
            }
            found.add(eks.secret(parts[1], parts[2]).orElseThrow(() -> new IllegalStateException("the policy references " + ref + ", which does not exist")));
        }
        return found;
    }

    /** Envoy's string matchers on the URI SAN; no matcher at all means any certificate of the trusted CAs. */
    static Predicate<String> matchers(List<String> uris) {
        if (uris.isEmpty()) {
            return uri -> true;
        }
        List<Predicate<String>> any = new ArrayList<>();
        for (String matcher : uris) {
            int colon = matcher.indexOf(':');
            String type = matcher.substring(0, colon);
            String value = matcher.substring(colon + 1);
            any.add(switch (type) {
                case "Exact" -> value::equals;
                case "Prefix" -> uri -> uri.startsWith(value);
                case "Suffix" -> uri -> uri.endsWith(value);
                case "RegularExpression" -> Pattern.compile(value).asMatchPredicate();
                default -> throw new IllegalStateException("unknown SAN matcher type " + type);
            });
        }
        return uri -> any.stream().anyMatch(m -> m.test(uri));
    }

    /** The CRLs of a {@code ca.crl} value, each checked against the CA that signed it (Envoy refuses an invalid CRL). */
    private static List<X509CRL> revocationLists(String pem, TrustBundle trusted) {
        try {
            List<X509CRL> out = new ArrayList<>();
            for (var crl : CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                X509CRL x509 = (X509CRL) crl;
                // CA generations share one subject: the CRL verifies under one of them, whichever comes first in the bundle.
                List<X509Certificate> issuers = trusted.certificates().stream()
                        .filter(ca -> ca.getSubjectX500Principal().equals(x509.getIssuerX500Principal())).toList();
                if (issuers.isEmpty()) {
                    throw new IllegalStateException("a CRL of " + x509.getIssuerX500Principal() + ", which the policy does not trust");
                }
                GeneralSecurityException failed = null;
                boolean verified = false;
                for (X509Certificate issuer : issuers) {
                    try {
                        x509.verify(issuer.getPublicKey());
                        verified = true;
                        break;
                    } catch (GeneralSecurityException e) {
                        failed = e;
                    }
                }
                if (!verified) {
                    throw failed;
                }
                out.add(x509);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the CRL does not verify: " + e.getMessage(), e);
        }
    }
}
