package dev.relaylink.pki;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The identity of one AKS workload: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}. */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern FORM = Pattern.compile("spiffe://([^/]+)/ns/([^/]+)/sa/([^/]+)");

    public SpiffeId {
        if (trustDomain == null || !TRUST_DOMAIN.matcher(trustDomain).matches()) {
            throw new PkiException("SPIFFE trust domain '" + trustDomain + "' must be lower-case letters, digits, '.', '-' or '_'");
        }
        if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
            throw new PkiException("namespace '" + namespace + "' is not a DNS-1123 label");
        }
        if (serviceAccount == null || !DNS_SUBDOMAIN.matcher(serviceAccount).matches()) {
            throw new PkiException("service account '" + serviceAccount + "' is not a DNS-1123 subdomain");
        }
    }

    public static SpiffeId parse(String uri) {
        Matcher m = FORM.matcher(uri == null ? "" : uri);
        if (!m.matches()) {
            throw new PkiException("'" + uri + "' is not of the form spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>");
        }
        return new SpiffeId(m.group(1), m.group(2), m.group(3));
    }

    @Override
    public String toString() {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
