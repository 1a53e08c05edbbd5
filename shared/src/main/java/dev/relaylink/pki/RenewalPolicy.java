package dev.relaylink.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate is renewed: a fixed time before it expires ({@code renewBefore}), or when a
 * given percentage of its validity remains ({@code renewBeforePercent}); exactly one is set.
 */
public record RenewalPolicy(Duration lifetime, Duration renewBefore, Integer renewBeforePercent) {

    public RenewalPolicy {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive");
        }
        if ((renewBefore == null) == (renewBeforePercent == null)) {
            throw new IllegalArgumentException("set exactly one of renewBefore or renewBeforePercent");
        }
        if (renewBefore != null && (renewBefore.isNegative() || renewBefore.isZero() || renewBefore.compareTo(lifetime) >= 0)) {
            throw new IllegalArgumentException("renewBefore must be positive and shorter than lifetime (" + Durations.format(lifetime) + ")");
        }
        if (renewBeforePercent != null && (renewBeforePercent < 1 || renewBeforePercent > 99)) {
            throw new IllegalArgumentException("renewBeforePercent must be between 1 and 99");
        }
    }

    public static RenewalPolicy before(Duration lifetime, Duration renewBefore) {
        return new RenewalPolicy(lifetime, renewBefore, null);
    }

    public static RenewalPolicy percent(Duration lifetime, int percentRemaining) {
        return new RenewalPolicy(lifetime, null, percentRemaining);
    }

    /** Parses {@code renewBefore} written as a duration ({@code 30d}) or a percentage of validity left ({@code 33%}). */
    public static RenewalPolicy parse(Duration lifetime, String renewBefore) {
        String text = renewBefore == null ? "" : renewBefore.trim();
        if (text.endsWith("%")) {
            try {
                return percent(lifetime, Integer.parseInt(text.substring(0, text.length() - 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + renewBefore + "' is not a percentage");
            }
        }
        return before(lifetime, Durations.parse(text));
    }

    /** How long before expiry a certificate of validity {@code validity} is renewed. */
    public Duration window(Duration validity) {
        return renewBefore != null ? renewBefore : validity.multipliedBy(renewBeforePercent).dividedBy(100);
    }

    /** The instant from which {@code certificate} is due for renewal. */
    public Instant renewAt(X509Certificate certificate) {
        return renewAt(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    public Instant renewAt(Instant notBefore, Instant notAfter) {
        Duration window = window(Duration.between(notBefore, notAfter));
        Instant at = notAfter.minus(window);
        return at.isBefore(notBefore) ? notBefore : at;
    }

    /** Due once {@code now} reaches {@link #renewAt}; an expired certificate is due too. */
    public boolean isDue(X509Certificate certificate, Instant now) {
        return !now.isBefore(renewAt(certificate));
    }
}
