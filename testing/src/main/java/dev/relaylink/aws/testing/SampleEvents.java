package dev.relaylink.aws.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.spec.LinkSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The sample events of testing/src/main/resources/events name the example link's resources (NLB, listener,
 * target group, security group, endpoint service, alarm); this readdresses one to a given link, as
 * the drift handlers accept only events about the link's own resources.
 */
public final class SampleEvents {
    private static final String SAMPLE_ACCOUNT = "111122223333";
    private static final String SAMPLE_LISTENER_PREFIX = "listener/net/relay-nlb/0123456789abcdef/";
    private static final String SAMPLE_LOAD_BALANCER = "loadbalancer/net/relay-nlb/0123456789abcdef";
    private static final String SAMPLE_TARGET_GROUP = "targetgroup/relay-gateway/0123456789abcdef";
    private static final String SAMPLE_SECURITY_GROUP = "sg-0123456789abcdef0";
    private static final String SAMPLE_SERVICE_ID = "vpce-svc-0123456789abcdef0";
    private static final String SAMPLE_ALARM = "relay-link-demo-healthy-hosts";

    private SampleEvents() {
    }

    /** A CloudWatch Logs subscription event as Lambda receives it: the batch is gzip, then base64, in {@code awslogs.data}. */
    public static ObjectNode cloudWatchLogs(String messageType, String owner, String logGroup, java.util.List<? extends com.fasterxml.jackson.databind.JsonNode> messages) {
        ObjectNode batch = JsonLines.JSON.createObjectNode().put("messageType", messageType).put("owner", owner).put("logGroup", logGroup)
                .put("logStream", "kube-apiserver-audit-0a1b2c3d4e5f60718293a4b5c6d7e8f9");
        batch.putArray("subscriptionFilters").add("relay-link-objects");
        var events = batch.putArray("logEvents");
        long id = 38000000000000000L;
        for (var message : messages) {
            events.addObject().put("id", Long.toString(id++) + "0000000000000000000").put("timestamp", System.currentTimeMillis())
                    .put("message", message.toString());
        }
        ObjectNode event = JsonLines.JSON.createObjectNode();
        event.putObject("awslogs").put("data", gzipBase64(batch.toString()));
        return event;
    }

    public static String gzipBase64(String text) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** {@code event} (already in the link's region) about {@code spec}'s resources; the endpoint service id only when it is known. */
    public static ObjectNode about(ObjectNode event, LinkSpec spec, Optional<String> endpointServiceId) {
        LinkSpec.Nlb nlb = spec.aws().nlb();
        String sampleArn = "arn:aws:elasticloadbalancing:" + spec.aws().region() + ":" + SAMPLE_ACCOUNT + ":";
        String json = event.toString()
                .replace(sampleArn + SAMPLE_LISTENER_PREFIX, nlb.loadBalancerArn().replaceFirst(":loadbalancer/", ":listener/") + "/")
                .replace(sampleArn + SAMPLE_LOAD_BALANCER, nlb.loadBalancerArn())
                .replace(sampleArn + SAMPLE_TARGET_GROUP, nlb.targetGroupArn())
                .replace(SAMPLE_SECURITY_GROUP, nlb.securityGroupId())
                .replace(SAMPLE_ALARM, spec.name() + "-healthy-hosts");
        if (endpointServiceId.isPresent()) {
            json = json.replace(SAMPLE_SERVICE_ID, endpointServiceId.get());
        }
        try {
            return (ObjectNode) JsonLines.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
