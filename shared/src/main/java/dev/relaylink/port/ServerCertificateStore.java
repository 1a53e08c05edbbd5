package dev.relaylink.port;

import dev.relaylink.pki.Credential;
import dev.relaylink.state.PendingServerCertificate;
import java.util.Optional;

/**
 * The server certificate and key with staging labels, as Secrets Manager keeps them: one current
 * version and at most one pending version identified by its rotation token.
 */
public interface ServerCertificateStore {

    Optional<Credential> current();

    /** The version labelled pending with this token, if there is one. */
    Optional<Credential> pending(String token);

    /** Stores a new version under {@code token} labelled pending; a second call with the same token changes nothing. */
    void putPending(String token, Credential credential);

    /** Moves the current label to the version of {@code token}; a no-op when it is current already. */
    void promote(String token);

    /** The token of the current version, if any. */
    Optional<String> currentToken();

    /** The pending version, if one exists that is not the current one: a rotation is between its createSecret and finishSecret. */
    Optional<PendingServerCertificate> pendingRotation();
}
