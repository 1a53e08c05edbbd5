package dev.relaylink.azure.emulator;

import dev.relaylink.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.UUID;

/**
 * The Azure Storage emulator's Table service, as {@code scripts/lib.sh} ({@code relay_start_azurite})
 * starts it for the test command, the local run and the benchmark: on 127.0.0.1 over HTTPS with a
 * self-signed certificate, and with {@code --oauth basic}, so the Tables SDK authenticates with a
 * bearer token exactly as against a storage account with identity-based access (no account key).
 */
public record Azurite(String tableServiceUri, X509Certificate certificate) {
    public static final String ENDPOINT_VARIABLE = "RELAY_AZURITE_TABLE_ENDPOINT";
    public static final String CERTIFICATE_VARIABLE = "RELAY_AZURITE_CERT";

    /** The running emulator the calling script announced, or a message saying how to start one. */
    public static Azurite fromEnvironment() {
        String endpoint = System.getenv(ENDPOINT_VARIABLE);
        String certificate = System.getenv(CERTIFICATE_VARIABLE);
        if (endpoint == null || endpoint.isBlank() || certificate == null || certificate.isBlank()) {
            throw new IllegalStateException("no Azure Storage emulator: run through scripts/test (or source scripts/lib.sh and call "
                    + "relay_start_azurite), which sets " + ENDPOINT_VARIABLE + " and " + CERTIFICATE_VARIABLE);
        }
        try {
            return new Azurite(endpoint, Pem.readCertificate(Files.readString(Path.of(certificate))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Azurite's certificate " + certificate, e);
        }
    }

    /** A table name no other test or run uses on the shared emulator (letters and digits, 3-63, starting with a letter). */
    public static String uniqueTable(String prefix) {
        return (prefix + UUID.randomUUID().toString().replace("-", "")).toLowerCase(Locale.ROOT).substring(0, Math.min(63, prefix.length() + 32));
    }
}
