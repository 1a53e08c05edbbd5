package dev.relaylink.failure;

import java.util.Optional;
import java.util.function.Function;

/**
 * A failure no retry of the event can get past until someone changes the deployment: an invalid
 * spec, a wiring error (a port this side lacks), a missing setting or stack resource, an access
 * denial. A handler audits it FAILED and counts it instead of throwing it into retries and the
 * dead-letter queue; once it is fixed, the scheduled reconcile repairs what the event was about.
 */
public class ConfigurationFailure extends RuntimeException {
    /** How deep a cause chain is searched (an adapter wraps once, the reconciler once more). */
    private static final int MAX_DEPTH = 8;

    public ConfigurationFailure(String message) {
        super(message);
    }

    public ConfigurationFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The configuration failure behind {@code failure}, if its cause chain holds one before any {@link RetryableFailure}. */
    public static Optional<ConfigurationFailure> behind(Throwable failure) {
        return behind(failure, t -> Optional.empty());
    }

    /**
     * As {@link #behind(Throwable)}, with {@code translate} saying which of a cloud SDK's own errors
     * (an access denial, a missing table) are configuration failures.
     */
    public static Optional<ConfigurationFailure> behind(Throwable failure, Function<Throwable, Optional<ConfigurationFailure>> translate) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof RetryableFailure) {
                return Optional.empty();
            }
            if (t instanceof ConfigurationFailure configuration) {
                return Optional.of(configuration);
            }
            Optional<ConfigurationFailure> translated = translate.apply(t);
            if (translated.isPresent()) {
                return translated;
            }
        }
        return Optional.empty();
    }
}
