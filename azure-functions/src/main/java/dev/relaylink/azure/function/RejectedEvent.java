package dev.relaylink.azure.function;

/**
 * An event relay-link refuses: malformed, of a type it does not handle, or about a resource the
 * link spec does not name. Final: the function logs the reason and returns normally, because a
 * redelivery of the same event would be refused again.
 */
public final class RejectedEvent extends Exception {
    public RejectedEvent(String reason) {
        super(reason, null, false, false);
    }
}
