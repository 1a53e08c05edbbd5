package dev.relaylink.spec;

import dev.relaylink.failure.ConfigurationFailure;
import java.util.List;
import java.util.stream.Collectors;

/** A link spec that relay-link refuses to act on; {@link #errors()} lists every problem found, not just the first. */
public class SpecException extends ConfigurationFailure {
    static final int LISTED = 50;
    private final String source;
    private final transient List<SpecError> errors;

    public SpecException(String source, List<SpecError> errors) {
        super(describe(source, errors));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    /** Where the spec came from: a file, a classpath resource or {@code <string>}. */
    public String source() {
        return source;
    }

    public List<SpecError> errors() {
        return errors;
    }

    /** The message lists the first {@value #LISTED} errors, so that a garbage input cannot flood a log; {@link #errors()} has all. */
    private static String describe(String source, List<SpecError> errors) {
        String count = errors.size() == 1 ? "1 error" : errors.size() + " errors";
        String more = errors.size() > LISTED ? "\n  ... and " + (errors.size() - LISTED) + " more" : "";
        return "link spec " + source + " is invalid (" + count + "):"
                + errors.stream().limit(LISTED).map(e -> "\n  " + e).collect(Collectors.joining()) + more;
    }
}
