package dev.relaylink.aws.adapter;

import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.port.LinkLock;
import dev.relaylink.testing.LinkLockCases;
import org.junit.jupiter.api.BeforeEach;

/** The link lock cases both clouds share, against DynamoDB (the AWS emulator): each lock object is one Lambda instance. */
class DynamoDbLockCasesTest extends LinkLockCases {
    private AwsClients aws;
    private String table;

    @BeforeEach
    void createTable() {
        aws = Emulator.clients();
        table = Emulator.linkTable();
    }

    @Override
    protected LinkLock instance() {
        return new DynamoDbLinkLock(aws.dynamoDb(), table, clock);
    }
}
