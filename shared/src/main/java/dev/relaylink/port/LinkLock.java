package dev.relaylink.port;

import java.time.Duration;
import java.util.Optional;

/** One writer per link at a time: two rotations of the same certificate never interleave. */
public interface LinkLock {

    /** A lease that expires by itself after {@code ttl} if its holder dies; empty when someone else holds it. */
    Optional<Lease> tryAcquire(String linkName, Duration ttl);

    interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
