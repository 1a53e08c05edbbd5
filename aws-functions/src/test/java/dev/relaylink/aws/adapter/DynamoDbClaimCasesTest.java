package dev.relaylink.aws.adapter;

import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.port.IdempotencyStore;
import dev.relaylink.testing.IdempotencyStoreCases;
import org.junit.jupiter.api.BeforeEach;

/** The claim cases both clouds share, against DynamoDB (the AWS emulator): each store object is one Lambda instance. */
class DynamoDbClaimCasesTest extends IdempotencyStoreCases {
    private AwsClients aws;
    private String table;

    @BeforeEach
    void createTable() {
        aws = Emulator.clients();
        table = Emulator.linkTable();
    }

    @Override
    protected IdempotencyStore instance() {
        return new DynamoDbIdempotencyStore(aws.dynamoDb(), table, clock, POLICY);
    }
}
