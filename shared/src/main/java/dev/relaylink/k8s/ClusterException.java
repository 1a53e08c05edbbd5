package dev.relaylink.k8s;

/** A Kubernetes read or write that relay-link could not complete; the message names the object, never its data. */
public final class ClusterException extends RuntimeException {
    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
