package dev.relaylink.plan;

/**
 * Why relay-link changes something, as a code: one constant per distinct decision of the
 * {@link Planner} (and of the few changes made outside it, such as the Secrets Manager rotation
 * steps). Every {@link Action} carries one beside its message, and the audit record keeps it, so
 * the audit log, the metrics and the tests count and match decisions by code, not by wording.
 * Each code says which {@link Kind} of change it leads to: the metrics count by that.
 */
public enum Reason {
    // --- endpoint service (PrivateLink) ---
    /** No endpoint service fronts the link's NLB. */
    ENDPOINT_SERVICE_MISSING(Kind.REPAIR),
    /** Acceptance-required was turned off. */
    ACCEPTANCE_NOT_REQUIRED(Kind.REPAIR),
    /** The endpoint service fronts another load balancer set than exactly the link's NLB. */
    ENDPOINT_SERVICE_LOAD_BALANCER_DRIFT(Kind.REPAIR),
    /** Principals of the spec are not allowed (none beyond it are). */
    PRINCIPALS_MISSING(Kind.REPAIR),
    /** Principals beyond the spec are allowed. */
    PRINCIPALS_WIDENED(Kind.REPAIR),
    /** A pending endpoint connection whose owner is an allowed principal. */
    CONNECTION_ALLOWED(Kind.APPROVAL),
    /** A pending or available endpoint connection whose owner is not an allowed principal. */
    CONNECTION_STRANGER(Kind.REJECTION),

    // --- NLB ---
    /** A listener other than the one TCP passthrough listener to the gateway target group. */
    LISTENER_DRIFT(Kind.REPAIR),
    /** The TCP passthrough listener is missing. */
    LISTENER_MISSING(Kind.REPAIR),
    /** Ready gateway endpoints are not registered (relay-link's own target mode). */
    TARGETS_MISSING(Kind.REPAIR),
    /** Registered targets are not ready gateway endpoints (relay-link's own target mode). */
    TARGETS_DRIFT(Kind.REPAIR),
    /** The Load Balancer Controller's TargetGroupBinding does not exist (controller mode). */
    TARGET_GROUP_BINDING_MISSING(Kind.REPAIR),
    /** The TargetGroupBinding differs from the one the spec asks for. */
    TARGET_GROUP_BINDING_DRIFT(Kind.REPAIR),
    /** The NLB has other security groups than exactly the link's. */
    SECURITY_GROUPS_DRIFT(Kind.REPAIR),
    /** The security group allows ingress the spec does not. */
    INGRESS_WIDENED(Kind.REPAIR),
    /** Ingress from the transit endpoints is missing. */
    INGRESS_MISSING(Kind.REPAIR),

    // --- CA generations ---
    /** A side's first CA does not exist yet. */
    CA_MISSING(Kind.REPAIR),
    /** The issuing CA is due by {@code certificates.ca.renewBefore}: its next generation is created. */
    CA_RENEWAL_DUE(Kind.REPAIR),
    /** The other cloud confirmed that every consumer's bundle holds the next CA: issuing switches to it. */
    NEXT_CA_CONFIRMED(Kind.REPAIR),
    /** A previous CA generation expired: no leaf it signed is valid, it is retired. */
    PREVIOUS_CA_EXPIRED(Kind.REPAIR),

    // --- certificate replacement (the rules of CertificateRules, server and client alike) ---
    /** No certificate exists, or its stored chain is empty. */
    CERTIFICATE_MISSING(Kind.ROTATION),
    /** The side has no trusted CA any more. */
    UNTRUSTED(Kind.ROTATION),
    /** The chain does not validate against the side's CAs (expired, foreign or retired CA). */
    CHAIN_INVALID(Kind.ROTATION),
    /** The leaf names another subject than the relay host or the workload. */
    WRONG_NAME(Kind.ROTATION),
    /** The leaf is due by its renewal policy (or Key Vault reported it near expiry). */
    CERTIFICATE_DUE(Kind.ROTATION),
    /** The leaf's CA generation no longer issues: it is re-issued under the current one. */
    ISSUER_SUPERSEDED(Kind.ROTATION),

    // --- trust across clouds ---
    /** The side's CA is created in this plan: its copies follow. */
    CA_CREATED(Kind.REPAIR),
    /** The side's CA generations change in this plan: its published list follows. */
    CA_GENERATIONS_CHANGE(Kind.REPAIR),
    /** A copy of a side's CA certificates (published, mirrored, or a cluster bundle) does not exist yet. */
    CA_COPY_MISSING(Kind.REPAIR),
    /** A copy of a side's CA certificates differs from the CAs. */
    CA_COPY_DRIFT(Kind.REPAIR),
    /** A bundle holds CAs the other cloud's confirmation does not name yet. */
    BUNDLE_UNCONFIRMED(Kind.REPAIR),

    // --- revocation list ---
    /** The AWS side, or the gateway, has no revocation list of the client CA yet. */
    REVOCATION_LIST_MISSING(Kind.REPAIR),
    /** The published revocation list does not parse. */
    REVOCATION_LIST_UNREADABLE(Kind.REPAIR),
    /** The published revocation list is not the current client CA's. */
    REVOCATION_LIST_WRONG_ISSUER(Kind.REPAIR),
    /** The certificates replaced before their time are not the ones the list names. */
    REVOKED_EARLY(Kind.REPAIR),
    /** Less than half of the published list's validity is left. */
    REVOCATION_LIST_EXPIRING(Kind.REPAIR),
    /** The gateway's copy of the revocation list differs from the published one. */
    REVOCATION_LIST_DRIFT(Kind.REPAIR),

    // --- cluster objects ---
    /** The gateway's TLS secret serves another certificate than the current server certificate. */
    SERVED_CERTIFICATE_DRIFT(Kind.REPAIR),
    /** A workload's secret holds another certificate than Key Vault's current one. */
    WORKLOAD_CERTIFICATE_DRIFT(Kind.REPAIR),
    /** An enforcement object relay-link owns (ClientTrafficPolicy, egress NetworkPolicy) does not exist. */
    POLICY_MISSING(Kind.REPAIR),
    /** An enforcement object relay-link owns differs from the one the spec asks for. */
    POLICY_DRIFT(Kind.REPAIR),

    // --- Azure Private Link Service and DNS ---
    /** A pending private endpoint from an allowed subscription and VNet. */
    PRIVATE_ENDPOINT_ALLOWED(Kind.APPROVAL),
    /** A pending or approved private endpoint from a subscription the spec does not allow. */
    SUBSCRIPTION_NOT_ALLOWED(Kind.REJECTION),
    /** A pending or approved private endpoint from a VNet the spec does not allow. */
    VNET_NOT_ALLOWED(Kind.REJECTION),
    /** The relay host's record does not resolve to exactly the approved private endpoints. */
    DNS_DRIFT(Kind.REPAIR),

    // --- outside the planner ---
    /** A Secrets Manager rotation step before finishSecret (createSecret, setSecret, testSecret). */
    ROTATION_STEP(Kind.REPAIR),
    /** Secrets Manager's finishSecret: the new server certificate became current. */
    ROTATION_FINISHED(Kind.ROTATION);

    /** What a change does, as the metrics count it. */
    public enum Kind {
        /** A leaf certificate is (re)issued and made current. */
        ROTATION,
        /** A requested connection is let in. */
        APPROVAL,
        /** A requested or open connection is refused. */
        REJECTION,
        /** Anything else that brings the link to its spec: created, restored, copied, confirmed. */
        REPAIR
    }

    private final Kind kind;

    Reason(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isRotation() {
        return kind == Kind.ROTATION;
    }
}
