package dev.relaylink.event;

import dev.relaylink.audit.AuditRecord;
import dev.relaylink.failure.ConfigurationFailure;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one skeleton of every handler on both clouds: parse and check the event, call one use case,
 * audit. Each of the three ways an invocation can end has its own path:
 * <ul>
 *   <li>a {@link RefusedEvent} (from the check, or from the use case's first read) is audited
 *       REJECTED by the platform's {@link Sink}, and the invocation ends normally: no retry;</li>
 *   <li>a {@link ConfigurationFailure} (or a cloud error the sink translates into one, such as an access
 *       denial) is audited FAILED and counted, and the invocation ends normally: a retry cannot help, and
 *       the scheduled reconcile repairs once the deployment is fixed (the design is level-triggered);</li>
 *   <li>anything else (a {@link dev.relaylink.failure.RetryableFailure}, or an error not known to be
 *       permanent) is thrown, so the platform retries the event and finally dead-letters it.</li>
 * </ul>
 */
public final class EventHandling {
    private EventHandling() {
    }

    /** Parses and checks the raw event; it changes nothing (the one read it may make is named where it is made). */
    @FunctionalInterface
    public interface Check<E> {
        E check() throws RefusedEvent;
    }

    /** The one use case the checked event runs; it may still refuse the event on what it reads first. */
    @FunctionalInterface
    public interface UseCase<E, R> {
        R run(E event) throws RefusedEvent;
    }

    /** What a platform does with the two outcomes the use case does not audit itself. */
    public interface Sink {
        void refused(String eventId, String reason);

        void misconfigured(String eventId, ConfigurationFailure failure);

        /** Which of the cloud SDK's own errors are configuration failures (none, unless the platform says). */
        default Optional<ConfigurationFailure> translate(Throwable failure) {
            return Optional.empty();
        }
    }

    /** How an invocation ended when it did not throw. */
    public sealed interface Outcome<R> {
        String eventId();

        record Ran<R>(String eventId, R result) implements Outcome<R> {
        }

        record Refused<R>(String eventId, String reason) implements Outcome<R> {
        }

        record Misconfigured<R>(String eventId, ConfigurationFailure failure) implements Outcome<R> {
        }
    }

    /**
     * @param unknownId the event id to audit when the event was refused or failed before its id was known
     *                  (or trusted): AWS says {@code unknown}, Azure names the invocation
     */
    public static <E, R> Outcome<R> handle(String unknownId, Check<E> check, Function<E, String> eventId, UseCase<E, R> useCase, Sink sink) {
        String id = unknownId;
        try {
            E event = check.check();
            id = eventId.apply(event);
            return new Outcome.Ran<>(id, useCase.run(event));
        } catch (RefusedEvent refused) {
            String refusedId = refused.eventId().orElse(id);
            sink.refused(refusedId, refused.reason());
            return new Outcome.Refused<>(refusedId, refused.reason());
        } catch (RuntimeException failure) {
            Optional<ConfigurationFailure> configuration = ConfigurationFailure.behind(failure, sink::translate);
            if (configuration.isEmpty()) {
                throw failure;
            }
            sink.misconfigured(id, configuration.get());
            return new Outcome.Misconfigured<>(id, configuration.get());
        }
    }

    /** The audit record of a configuration failure, the same on both clouds: which handler, which link, why, and that no retry follows. */
    public static AuditRecord misconfiguredRecord(Instant now, String eventId, String handler, String link, ConfigurationFailure failure) {
        return new AuditRecord(now, eventId, handler, link, AuditRecord.Outcome.FAILED,
                "configuration failure, not retried (the scheduled reconcile repairs once it is fixed): " + describe(failure));
    }

    private static String describe(ConfigurationFailure failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.length() > 500 ? message.substring(0, 500) + "..." : message;
    }
}
