package dev.relaylink.cli;

import dev.relaylink.port.DeadLetters;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS stack's dead-letter queues ({@code <link>-...-dlq}, one per function, see template.yaml)
 * and how many messages each holds: ListQueues by the link's prefix, then GetQueueAttributes
 * ApproximateNumberOfMessages per queue (SQS has no batch form of it). Reads only.
 */
public final class SqsDeadLetters implements DeadLetters {
    static final String SUFFIX = "-dlq";

    private final SqsClient sqs;
    private final String linkName;

    public SqsDeadLetters(SqsClient sqs, String linkName) {
        this.sqs = sqs;
        this.linkName = linkName;
    }

    @Override
    public List<QueueDepth> depths() {
        List<String> urls = sqs.listQueuesPaginator(r -> r.queueNamePrefix(linkName + "-")).queueUrls().stream()
                .filter(url -> url.endsWith(SUFFIX)).sorted().toList();
        if (urls.isEmpty()) {
            return List.of(new QueueDepth(linkName + "-*" + SUFFIX, null, "no dead-letter queue of this link found"));
        }
        return urls.stream().map(url -> {
            String count = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            return new QueueDepth(url.substring(url.lastIndexOf('/') + 1), Long.parseLong(count), "SQS ApproximateNumberOfMessages");
        }).toList();
    }

    /** Event Grid dead-letters the Azure side's undeliverable events as blobs in a storage container: not counted here. */
    public static DeadLetters eventGrid() {
        return () -> List.of(new QueueDepth("Event Grid dead-letter container", null,
                "not read: Event Grid writes undeliverable events as blobs (deploy/azure/event-subscriptions.bicep); list them with az storage blob list"));
    }
}
