package dev.relaylink.pki;

/** A certificate, key or bundle that relay-link refuses to use; the message names what is wrong. */
public class PkiException extends RuntimeException {
    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
