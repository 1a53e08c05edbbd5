package dev.relaylink.aws.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relaylink.aws.adapter.AwsClients;
import dev.relaylink.aws.adapter.DynamoDbIdempotencyStore;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

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

    /** A new table shaped as the stack's link table (one string key), for the event claims and the link lock. */
    public static String linkTable() {
        return linkTable(clients().dynamoDb(), "relay-link-" + UUID.randomUUID());
    }

    public static String linkTable(DynamoDbClient dynamoDb, String table) {
        dynamoDb.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName(DynamoDbIdempotencyStore.KEY).keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(DynamoDbIdempotencyStore.KEY)
                        .attributeType(ScalarAttributeType.S).build()));
        return table;
    }

    public static Region region() {
        return clients().region();
    }
}
