package dev.relaylink.aws.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relaylink.aws.adapter.AwsClients;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS emulator (moto) that scripts/test starts: its address comes from AWS_ENDPOINT_URL, never
 * from the code. Without it the tests that need it are skipped, so a plain {@code mvn test} passes.
 */
public final class Emulator {
    private static AwsClients clients;

    private Emulator() {
    }

    public static synchronized AwsClients clients() {
        assumeTrue(endpoint().isPresent(), "AWS_ENDPOINT_URL is not set: start the AWS emulator (scripts/test does)");
        if (clients == null) {
            clients = AwsClients.fromEnvironment();
        }
        return clients;
    }

    public static Optional<URI> endpoint() {
        String url = System.getenv(AwsClients.ENDPOINT_VARIABLE);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(URI.create(url));
    }

    public static Region region() {
        return clients().region();
    }
}
