package dev.relaylink.azure.function;

import dev.relaylink.event.RefusedEvent;
import dev.relaylink.spec.LinkSpec;
import java.time.Instant;
import java.util.Set;

/**
 * A checked Key Vault {@code CertificateNearExpiry} or {@code CertificateExpired} event about one
 * workload's client certificate in the link's vault.
 *
 * @param version the Key Vault version that is expiring: rotation replaces it only while it is still current
 */
public record CertificateExpiry(String eventId, String eventType, LinkSpec.Workload workload, String version, Instant expires) {

    public static final String NEAR_EXPIRY = "Microsoft.KeyVault.CertificateNearExpiry";
    public static final String EXPIRED = "Microsoft.KeyVault.CertificateExpired";
    private static final Set<String> TYPES = Set.of(NEAR_EXPIRY, EXPIRED);
    /** X.509 GeneralizedTime ends at year 9999. */
    private static final long LATEST_EXPIRY = 253402300799L;

    public static CertificateExpiry of(EventEnvelope event, LinkSpec spec) throws RefusedEvent {
        if (!TYPES.contains(event.type())) {
            throw new RefusedEvent("event type '" + event.type() + "' is not " + NEAR_EXPIRY + " or " + EXPIRED);
        }
        String vault = event.dataText("VaultName");
        if (!vault.equalsIgnoreCase(spec.azure().keyVault().name())) {
            throw new RefusedEvent("vault '" + vault + "' is not the link's vault " + spec.azure().keyVault().name());
        }
        String objectType = event.dataText("ObjectType");
        if (!"Certificate".equalsIgnoreCase(objectType)) {
            throw new RefusedEvent("object type '" + objectType + "' is not Certificate");
        }
        String name = event.dataText("ObjectName");
        LinkSpec.Workload workload = spec.workloads().stream()
                .filter(w -> w.keyVaultCertificateName().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new RefusedEvent("certificate '" + name + "' is not the client certificate of a workload in the spec"));
        String version = event.dataText("Version");
        long exp = event.dataSeconds("EXP");
        if (exp < 0 || exp > LATEST_EXPIRY) {
            throw new RefusedEvent("data.EXP " + exp + " is not a plausible Unix time");
        }
        Instant expires = Instant.ofEpochSecond(exp);
        return new CertificateExpiry(event.id(), event.type(), workload, version, expires);
    }
}
