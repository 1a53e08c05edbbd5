package dev.relaylink.port;

import java.util.List;

/** How many failed events wait in a side's dead-letter queues (read-only; for operators). */
public interface DeadLetters {

    List<QueueDepth> depths();

    /**
     * One dead-letter queue. {@code messages} is the approximate count the service reports; null, with
     * {@code note} saying why when this side's dead letters cannot be counted from here.
     */
    record QueueDepth(String queue, Long messages, String note) {
    }
}
