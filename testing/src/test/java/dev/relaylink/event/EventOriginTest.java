package dev.relaylink.event;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.TestSpecs;
import org.junit.jupiter.api.Test;

/** The one origin check of both clouds: the link's AWS account and region, or its Azure subscription and resource group. */
class EventOriginTest {
    private static final LinkSpec SPEC = TestSpecs.example();

    @Test
    void anAwsEventFromTheLinksAccountAndRegionPasses() {
        assertThatCode(() -> EventOrigin.requireAws("evt", SPEC.aws().accountId(), SPEC.aws().region(), SPEC)).doesNotThrowAnyException();
    }

    @Test
    void anotherAccountOrRegionIsRefusedWithBothNamed() {
        assertThatThrownBy(() -> EventOrigin.requireAws("evt", "999988887777", SPEC.aws().region(), SPEC))
                .isInstanceOf(RefusedEvent.class)
                .hasMessage("account 999988887777 is not the link's account " + SPEC.aws().accountId())
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((RefusedEvent) e).eventId()).contains("evt"));
        assertThatThrownBy(() -> EventOrigin.requireAws("evt", SPEC.aws().accountId(), "ap-south-2", SPEC))
                .hasMessage("region ap-south-2 is not the link's region " + SPEC.aws().region());
        // Regions and accounts are compared exactly, as AWS writes them.
        assertThatThrownBy(() -> EventOrigin.requireAws("evt", SPEC.aws().accountId(), SPEC.aws().region().toUpperCase(), SPEC))
                .isInstanceOf(RefusedEvent.class);
        assertThatThrownBy(() -> EventOrigin.requireAwsAccount("evt", "", SPEC)).isInstanceOf(RefusedEvent.class);
    }

    @Test
    void anAzureResourceInTheLinksSubscriptionAndGroupPassesWhateverTheCase() {
        assertThatCode(() -> EventOrigin.requireAzure("connection c", SPEC.azure().subscriptionId().toUpperCase(),
                SPEC.azure().resourceGroup().toUpperCase(), SPEC)).doesNotThrowAnyException();
    }

    @Test
    void anAzureResourceElsewhereIsRefusedWithoutTrustingAnEventId() {
        assertThatThrownBy(() -> EventOrigin.requireAzure("connection c", TestSpecs.STRANGER_SUBSCRIPTION, SPEC.azure().resourceGroup(), SPEC))
                .isInstanceOf(RefusedEvent.class)
                .hasMessageContaining("of subscription " + TestSpecs.STRANGER_SUBSCRIPTION)
                .hasMessageContaining("not the link's resource group " + SPEC.azure().resourceGroup())
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((RefusedEvent) e).eventId()).isEmpty());
        assertThatThrownBy(() -> EventOrigin.requireAzure("connection c", SPEC.azure().subscriptionId(), "other-rg", SPEC))
                .hasMessageContaining("in resource group other-rg");
    }
}
