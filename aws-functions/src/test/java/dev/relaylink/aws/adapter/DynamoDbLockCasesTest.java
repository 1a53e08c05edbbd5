package dev.relaylink.aws.adapter;

import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.port.LinkLock;
import dev.relaylink.testing.LinkLockCases;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The link lock cases both clouds share, against DynamoDB (the AWS emulator): each lock object is one Lambda instance. */
class DynamoDbLockCasesTest extends LinkLockCases {
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
    protected LinkLock instance() {
        return new DynamoDbLinkLock(aws.dynamoDb(), table, clock);
    }
}
