package dev.relaylink.wiring;

import dev.relaylink.testing.InMemoryIdempotencyStore;
import dev.relaylink.testing.InMemoryLinkLock;
import dev.relaylink.usecase.Reconciler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.failure.ConfigurationFailure;
import dev.relaylink.plan.Concern;
import dev.relaylink.port.PrivateDnsPort;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.testing.TestSpecs;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The typed sides: complete when built, each port built on its first use and only once, each side planning only its own concerns. */
class SidesTest {
    private final InMemoryClouds link = new InMemoryClouds();

    @Test
    void aSideWiredWithoutAPortFailsWhenBuiltNamingEveryMissingPort() {
        assertThatThrownBy(() -> AzureSide.builder(TestSpecs.example(), Clock.systemUTC()).aks(() -> link.aks).build())
                .isInstanceOf(ConfigurationFailure.class)
                .hasMessageContaining("clientCa").hasMessageContaining("trustExchange").hasMessageContaining("networkPolicies")
                .hasMessageNotContaining("aks,");
        assertThatThrownBy(() -> AwsSide.builder(TestSpecs.example(), Clock.systemUTC()).build())
                .hasMessageContaining("endpointService").hasMessageContaining("serverCasInWorkloads");
    }

    @Test
    void aPortIsBuiltOnItsFirstUseOnceAndAFailedBuildIsTriedAgain() {
        AtomicInteger attempts = new AtomicInteger();
        PrivateDnsPort dns = new PrivateDnsPort() {
            @Override
            public Set<String> aRecord(String zone, String recordName) {
                return Set.of("10.0.0.1");
            }

            @Override
            public void setARecord(String zone, String recordName, Set<String> ipv4) {
            }
        };
        AzureSide side = AzureSide.builder(TestSpecs.example(), Clock.systemUTC())
                .clientCa(() -> link.clientCa).clientCertificates(() -> link.clientCertificates).serverCaMirror(() -> link.azurePorts().serverCaMirror())
                .trustExchange(() -> link.azurePorts().trustExchange()).privateLinkService(() -> link.azurePorts().privateLinkService())
                .privateDns(() -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("the resource manager is unreachable");
                    }
                    return dns;
                })
                .aks(() -> link.aks).networkPolicies(() -> link.networkPolicyPort).build();
        assertThat(attempts).hasValue(0);

        assertThatThrownBy(side::privateDns).hasMessage("the resource manager is unreachable");
        assertThat(side.privateDns().aRecord("z", "r")).containsExactly("10.0.0.1");
        assertThat(side.privateDns()).isSameAs(dns);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void eachSideRunsItsOwnConcernsAndBothSidesRunAll() {
        assertThat(link.awsPorts().concerns()).isEqualTo(Concern.AWS);
        assertThat(link.azurePorts().concerns()).isEqualTo(Concern.AZURE);
        assertThat(link.ports().concerns()).isEqualTo(Concern.ALL);
        assertThat(link.awsPorts().missing(Set.of(Concern.PRIVATE_DNS, Concern.LOAD_BALANCER))).containsExactly(Concern.PRIVATE_DNS);
        assertThat(link.awsPorts().azure()).isEmpty();
        assertThat(link.ports().aws()).isPresent();
    }

    @Test
    void aReconcileAskedForAnotherSidesConcernChangesNothing() {
        var reconciler = Reconciler.of(link.spec, link.awsPorts(), new InMemoryIdempotencyStore(Clock.systemUTC(), java.time.Duration.ofMinutes(5)),
                new InMemoryLinkLock(Clock.systemUTC()), r -> { }, Clock.systemUTC(), 1, java.time.Duration.ZERO);

        assertThatThrownBy(() -> reconciler.handle("e-1", Set.of(Concern.PRIVATE_DNS))).isInstanceOf(ConfigurationFailure.class)
                .hasMessageContaining("PRIVATE_DNS");
        assertThat(link.calls).isEmpty();
    }
}
