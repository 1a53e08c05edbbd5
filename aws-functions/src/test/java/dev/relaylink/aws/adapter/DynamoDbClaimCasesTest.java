package dev.relaylink.aws.adapter;

import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.port.IdempotencyStore;
import dev.relaylink.testing.IdempotencyStoreCases;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The claim cases both clouds share, against DynamoDB (the AWS emulator): each store object is one Lambda instance. */
class DynamoDbClaimCasesTest extends IdempotencyStoreCases {
    private AwsClients aws;
    private String table;

    @BeforeEach
    void createTable() {
        aws = Emulator.clients();
        table = "relay-link-" + UUID.randomUUID();
        aws.dynamoDb().createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName(DynamoDbIdempotencyStore.KEY).keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(DynamoDbIdempotencyStore.KEY)
                        .attributeType(ScalarAttributeType.S).build()));
    }

    @Override
    protected IdempotencyStore instance() {
        return new DynamoDbIdempotencyStore(aws.dynamoDb(), table, clock, POLICY);
    }
}
