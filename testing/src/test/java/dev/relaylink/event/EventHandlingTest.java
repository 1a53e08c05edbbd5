package dev.relaylink.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.audit.AuditLog;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.failure.ConfigurationFailure;
import dev.relaylink.failure.RetryableFailure;
import dev.relaylink.testing.InMemoryIdempotencyStore;
import dev.relaylink.testing.InMemoryLinkLock;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.wiring.Side;
import dev.relaylink.plan.Concern;
import dev.relaylink.port.IdempotencyStore.Claim;
import dev.relaylink.spec.LinkSpecReader;
import dev.relaylink.spec.SpecException;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.testing.TestSpecs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The handler skeleton both clouds share, with the real reconciler: a refusal and a configuration
 * failure end the invocation normally (audited by the platform's sink), anything retryable or
 * unknown is thrown for the platform to retry.
 */
class EventHandlingTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final LinkSpec SPEC = TestSpecs.example();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryClouds link = new InMemoryClouds();
    private final AuditLog.InMemory audit = new AuditLog.InMemory();
    private final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore(clock, Duration.ofMinutes(5));
    private final InMemoryLinkLock lock = new InMemoryLinkLock(clock);
    private final RecordingSink sink = new RecordingSink();

    @Test
    void aRefusalIsAuditedByTheSinkAndNothingRuns() {
        List<String> ran = new ArrayList<>();
        var outcome = EventHandling.handle("unknown", () -> {
            throw new RefusedEvent("evt-1", "account 999988887777 is not the link's account");
        }, e -> "never", e -> ran.add("use case"), sink);

        assertThat(outcome).isEqualTo(new EventHandling.Outcome.Refused<>("evt-1", "account 999988887777 is not the link's account"));
        assertThat(sink.refused).containsExactly("evt-1: account 999988887777 is not the link's account");
        assertThat(ran).isEmpty();
    }

    @Test
    void aRefusalThatNamesNoEventIsAuditedUnderTheHandlersUnknownId() {
        var outcome = EventHandling.handle("invocation:42", () -> {
            throw new RefusedEvent("malformed JSON");
        }, e -> "never", e -> "ran", sink);

        assertThat(outcome.eventId()).isEqualTo("invocation:42");
        assertThat(sink.refused).containsExactly("invocation:42: malformed JSON");
    }

    @Test
    void aRefusalFromTheUseCasesFirstReadNamesTheCheckedEvent() {
        var outcome = EventHandling.handle("unknown", () -> "evt-2", e -> e, e -> {
            throw new RefusedEvent("connection c1 does not exist");
        }, sink);

        assertThat(outcome).isEqualTo(new EventHandling.Outcome.Refused<>("evt-2", "connection c1 does not exist"));
    }

    @Test
    void aWiringErrorIsReportedAsAConfigurationFailureAndNotThrown() {
        // A handler wired to the AWS side asks for the Azure side's concerns too: no retry can change that.
        Reconciler reconciler = reconciler(link.awsPorts());

        var outcome = EventHandling.handle("unknown", () -> "evt-3", e -> e, e -> reconciler.handle(e, Concern.ALL), sink);

        assertThat(outcome).isInstanceOf(EventHandling.Outcome.Misconfigured.class);
        assertThat(((EventHandling.Outcome.Misconfigured<?>) outcome).failure()).hasMessageStartingWith("this side does not run");
        assertThat(sink.misconfigured).singleElement().asString().startsWith("evt-3: this side does not run");
        // Nothing was read or changed, and the event was not claimed: a redelivery runs once the wiring is fixed.
        assertThat(link.calls).isEmpty();
        assertThat(idempotency.claim("evt-3")).isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aBusyLinkIsThrownForThePlatformToRetry() {
        assertThat(lock.tryAcquire(SPEC.name(), Reconciler.LEASE)).isPresent();
        Reconciler reconciler = reconciler(link.ports());

        assertThatThrownBy(() -> EventHandling.handle("unknown", () -> "evt-4", e -> e, e -> reconciler.handle(e, Concern.ALL), sink))
                .isInstanceOf(Reconciler.LinkBusyException.class).isInstanceOf(RetryableFailure.class);
        assertThat(sink.misconfigured).isEmpty();
        assertThat(sink.refused).isEmpty();
    }

    @Test
    void anEventInProgressIsRetryable() {
        assertThat(idempotency.claim("evt-5")).isEqualTo(Claim.CLAIMED);
        Reconciler reconciler = reconciler(link.ports());

        assertThatThrownBy(() -> EventHandling.handle("unknown", () -> "evt-5", e -> e, e -> reconciler.handle(e, Concern.ALL), sink))
                .isInstanceOf(Reconciler.EventInProgressException.class).isInstanceOf(RetryableFailure.class);
        assertThat(sink.misconfigured).isEmpty();
    }

    @Test
    void anUnknownFailureIsThrownAsBefore() {
        IllegalStateException unknown = new IllegalStateException("EC2 answered 503");
        assertThatThrownBy(() -> EventHandling.handle("unknown", () -> "evt-6", e -> e, e -> {
            throw unknown;
        }, sink)).isSameAs(unknown);
        assertThat(sink.misconfigured).isEmpty();
    }

    @Test
    void aRetryableFailureWinsOverAConfigurationFailureBehindIt() {
        RetryableFailure retryable = new RetryableFailure("throttled", new ConfigurationFailure("a stale cause"));
        assertThatThrownBy(() -> EventHandling.handle("unknown", () -> "evt-7", e -> e, e -> {
            throw new IllegalStateException("applied 0 of 1 actions", retryable);
        }, sink)).hasCause(retryable);
        assertThat(sink.misconfigured).isEmpty();
    }

    @Test
    void theSinkSaysWhichCloudErrorsAreConfigurationFailures() {
        class Denied extends RuntimeException {
            Denied() {
                super("AccessDeniedException: not authorized to perform kms:Sign");
            }
        }
        RecordingSink translating = new RecordingSink() {
            @Override
            public Optional<ConfigurationFailure> translate(Throwable failure) {
                return failure instanceof Denied ? Optional.of(new ConfigurationFailure("access denied: " + failure.getMessage(), failure))
                        : Optional.empty();
            }
        };

        var outcome = EventHandling.handle("unknown", () -> "evt-8", e -> e, e -> {
            throw new IllegalStateException("applied 2 of 5 actions", new Denied());
        }, translating);

        assertThat(outcome).isInstanceOf(EventHandling.Outcome.Misconfigured.class);
        assertThat(translating.misconfigured).containsExactly("evt-8: access denied: AccessDeniedException: not authorized to perform kms:Sign");
    }

    @Test
    void anInvalidSpecIsAConfigurationFailure() {
        assertThatThrownBy(() -> LinkSpecReader.read("name: [")).isInstanceOf(SpecException.class)
                .isInstanceOf(ConfigurationFailure.class);
    }

    @Test
    void theFailedRecordNamesTheHandlerTheLinkAndThatNoRetryFollows() {
        AuditRecord record = EventHandling.misconfiguredRecord(NOW, "evt-9", "LoadBalancerDriftHandler", "relay-link",
                new ConfigurationFailure("x".repeat(2000)));

        assertThat(record.outcome()).isEqualTo(AuditRecord.Outcome.FAILED);
        assertThat(record.action()).isEqualTo("LoadBalancerDriftHandler");
        assertThat(record.target()).isEqualTo("relay-link");
        assertThat(record.reason()).startsWith("configuration failure, not retried").hasSizeLessThan(700);
    }

    private Reconciler reconciler(Side side) {
        return Reconciler.of(SPEC, side, idempotency, lock, audit, clock, 2, Duration.ofMillis(1));
    }

    private static class RecordingSink implements EventHandling.Sink {
        final List<String> refused = new ArrayList<>();
        final List<String> misconfigured = new ArrayList<>();

        @Override
        public void refused(String eventId, String reason) {
            refused.add(eventId + ": " + reason);
        }

        @Override
        public void misconfigured(String eventId, ConfigurationFailure failure) {
            misconfigured.add(eventId + ": " + failure.getMessage());
        }
    }
}
