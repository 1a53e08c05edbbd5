package dev.relaylink.aws.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import dev.relaylink.port.ServerCertificateStore;
import dev.relaylink.state.PendingServerCertificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The server certificate and key in one Secrets Manager secret, one version per rotation token.
 * The value is JSON {@code {"certificate": "<chain PEM>", "privateKey": "<PKCS#8 PEM>"}}.
 * Every read names its version (by stage or id): a read without one can return a stale version on
 * the AWS emulator after a stage move (docs/design.md, the AWS emulator).
 */
public final class SecretsManagerServerCertificateStore implements ServerCertificateStore {
    public static final String CURRENT = "AWSCURRENT";
    public static final String PENDING = "AWSPENDING";

    private final SecretsManagerClient secrets;
    private final String secretId;

    public SecretsManagerServerCertificateStore(SecretsManagerClient secrets, String secretId) {
        this.secrets = secrets;
        this.secretId = secretId;
    }

    @Override
    public Optional<Credential> current() {
        return read(CURRENT, null).map(v -> parse(v.secretString(), v.versionId()));
    }

    @Override
    public Optional<Credential> pending(String token) {
        return read(null, token)
                .filter(v -> v.versionStages().contains(PENDING))
                .map(v -> parse(v.secretString(), v.versionId()));
    }

    /** @throws MissingStackSecretException when the secret does not exist (the stack creates it, never this code) */
    @Override
    public void putPending(String token, Credential credential) {
        if (read(null, token).isPresent()) {
            return; // this token's version exists: a retried step writes nothing new
        }
        String value = serialize(credential);
        try {
            secrets.putSecretValue(r -> r.secretId(secretId).clientRequestToken(token).secretString(value).versionStages(PENDING));
        } catch (ResourceNotFoundException e) {
            throw new MissingStackSecretException(secretId, e);
        }
    }

    @Override
    public void promote(String token) {
        Map<String, List<String>> stages = versionStages();
        if (!stages.containsKey(token)) {
            throw new IllegalStateException("secret " + secretId + " has no version for rotation token " + token);
        }
        Optional<String> current = versionWith(stages, CURRENT);
        if (current.equals(Optional.of(token))) {
            return;
        }
        secrets.updateSecretVersionStage(r -> {
            r.secretId(secretId).versionStage(CURRENT).moveToVersionId(token);
            current.ifPresent(r::removeFromVersionId);
        });
    }

    @Override
    public Optional<String> currentToken() {
        try {
            return versionWith(versionStages(), CURRENT);
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<PendingServerCertificate> pendingRotation() {
        try {
            // The version labelled pending that is not also current: a rotation between createSecret and finishSecret.
            return secrets.listSecretVersionIdsPaginator(r -> r.secretId(secretId)).stream().flatMap(page -> page.versions().stream())
                    .filter(v -> v.versionStages().contains(PENDING) && !v.versionStages().contains(CURRENT))
                    .findFirst()
                    .flatMap(v -> read(null, v.versionId()).map(value -> new PendingServerCertificate(
                            Certificates.fingerprint(parse(value.secretString(), v.versionId()).leaf()),
                            v.createdDate() != null ? v.createdDate() : Instant.EPOCH)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private Map<String, List<String>> versionStages() {
        return secrets.describeSecret(r -> r.secretId(secretId)).versionIdsToStages();
    }

    private static Optional<String> versionWith(Map<String, List<String>> stages, String stage) {
        return stages.entrySet().stream().filter(e -> e.getValue().contains(stage)).map(Map.Entry::getKey).findFirst();
    }

    private Optional<GetSecretValueResponse> read(String stage, String versionId) {
        try {
            return Optional.of(secrets.getSecretValue(r -> r.secretId(secretId).versionStage(stage).versionId(versionId)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty(); // no such secret, or no version with that stage or id
        }
    }

    static String serialize(Credential credential) {
        Map<String, String> value = new LinkedHashMap<>();
        value.put("certificate", Pem.write(credential.chain()));
        value.put("privateKey", Pem.write(credential.key()));
        try {
            return JsonLines.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the server certificate secret", e);
        }
    }

    /** The error names the secret version, never its content. */
    private Credential parse(String secretString, String versionId) {
        String where = "secret " + secretId + " version " + versionId;
        JsonNode value;
        try {
            value = JsonLines.JSON.readTree(secretString == null ? "" : secretString);
        } catch (JsonProcessingException e) {
            throw new PkiException(where + " is not JSON {certificate, privateKey}");
        }
        if (value == null || !value.path("certificate").isTextual() || !value.path("privateKey").isTextual()) {
            throw new PkiException(where + " lacks the text fields certificate and privateKey");
        }
        try {
            return Credential.fromPem(value.get("certificate").asText(), value.get("privateKey").asText());
        } catch (PkiException e) {
            throw new PkiException(where + ": " + e.getMessage(), e);
        }
    }
}
