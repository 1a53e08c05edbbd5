package dev.relaylink.state;

import java.util.List;

/**
 * The part of an Envoy Gateway {@code ClientTrafficPolicy} that decides who may call relay, as
 * relay-link writes it and as it reads it back: the listener it targets, the lowest TLS version,
 * the client validation mode, the Secrets holding the trusted CAs and the CRL, and the URI SAN
 * matchers. {@code otherSettings} names every field found beyond these (a hand-added DNS SAN
 * matcher, {@code allowExpiredCertificate}, a second target, ...): relay-link writes none.
 *
 * @param targets each {@code group/kind/name/sectionName}, e.g. {@code gateway.networking.k8s.io/Gateway/relay/https}
 * @param caCertificateRefs each {@code kind/namespace/name} of a referenced CA bundle
 * @param crlRefs each {@code kind/namespace/name} of a referenced revocation list
 * @param subjectAltNameUris each URI SAN matcher as {@code type:value}, e.g. {@code Exact:spiffe://aks.example/ns/a/sa/b}
 */
public record GatewayClientPolicy(String namespace, String name, List<String> targets, String minVersion, String mode,
                                  List<String> caCertificateRefs, List<String> crlRefs, List<String> subjectAltNameUris,
                                  List<String> otherSettings) {
    public static final String MIN_VERSION = "1.3";
    public static final String REQUIRE_AND_VERIFY = "RequireAndVerify";
    public static final String EXACT = "Exact";
    public static final String GATEWAY_API_GROUP = "gateway.networking.k8s.io";

    public GatewayClientPolicy {
        targets = List.copyOf(targets);
        caCertificateRefs = List.copyOf(caCertificateRefs);
        crlRefs = List.copyOf(crlRefs);
        subjectAltNameUris = List.copyOf(subjectAltNameUris);
        otherSettings = List.copyOf(otherSettings);
    }

    public String key() {
        return namespace + "/" + name;
    }

    public static String target(String gateway, String listener) {
        return GATEWAY_API_GROUP + "/Gateway/" + gateway + "/" + listener;
    }

    public static String secretRef(String namespace, String name) {
        return "Secret/" + namespace + "/" + name;
    }

    public static String exactUri(String uri) {
        return EXACT + ":" + uri;
    }
}
