package dev.relaylink.pki;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in the link spec: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s} or ISO-8601 {@code P90D}. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([dhms])");

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required (e.g. 90d, 12h)");
        }
        Matcher m = SHORT.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 90d, 12h, 30m or P90D)");
        }
    }

    /** The short form used in messages: whole days when it is whole days. */
    public static String format(Duration duration) {
        if (duration.toSeconds() % 86_400 == 0) {
            return duration.toDays() + "d";
        }
        if (duration.toSeconds() % 3_600 == 0) {
            return duration.toHours() + "h";
        }
        return duration.toSeconds() + "s";
    }
}
