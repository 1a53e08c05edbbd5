package dev.relaylink.azure.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.exception.HttpResponseException;
import dev.relaylink.azure.fake.ArmFake;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArmPrivateDnsTest {
    private static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
    private static final String ZONE = "eks.internal.example";

    private final FakeAzure azure = new FakeAzure();
    private final ArmFake arm = azure.fake.arm();
    private final String zoneId = arm.privateDnsZone(SUBSCRIPTION, "relay-link-rg", ZONE);
    private final ArmPrivateDns dns = new ArmPrivateDns(azure.clients, SUBSCRIPTION, "relay-link-rg");

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void aMissingRecordSetIsEmpty() {
        assertThat(dns.aRecord(ZONE, "relay")).isEmpty();
    }

    @Test
    void setARecordCreatesThenReplacesTheRecordSet() {
        dns.setARecord(ZONE, "relay", Set.of("10.240.0.7"));

        assertThat(dns.aRecord(ZONE, "relay")).containsExactly("10.240.0.7");
        var recordSet = arm.get(zoneId + "/A/relay").orElseThrow();
        assertThat(recordSet.path("properties").path("fqdn").asText()).isEqualTo("relay." + ZONE + ".");
        assertThat(recordSet.path("properties").path("ttl").asLong()).isEqualTo(ArmPrivateDns.TTL_SECONDS);

        dns.setARecord(ZONE, "relay", Set.of("10.240.0.9", "10.240.0.8"));
        assertThat(dns.aRecord(ZONE, "relay")).containsExactly("10.240.0.8", "10.240.0.9");
        assertThat(arm.writes()).isEqualTo(2);
    }

    @Test
    void aZoneThatDoesNotExistIsAnErrorAndWritesNothing() {
        assertThatThrownBy(() -> dns.setARecord("missing.example", "relay", Set.of("10.0.0.1")))
                .isInstanceOf(HttpResponseException.class).hasMessageContaining("ParentResourceNotFound");
        assertThat(arm.writes()).isZero();
    }
}
