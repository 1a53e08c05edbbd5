package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.event.EventOrigin;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.plan.Concern;
import dev.relaylink.spec.LinkSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Changes inside the EKS cluster: the control plane's audit log in CloudWatch Logs, through a
 * subscription filter on relay-link's objects (template.yaml), delivers a batch of audit events; when
 * one of them wrote or deleted an object the link owns (the gateway's TLS and client CA secrets, its
 * allow-list, its ClientTrafficPolicy, the relay namespace's NetworkPolicies, the TargetGroupBinding)
 * or the gateway's EndpointSlices, relay-link reconciles what that object belongs to. The batch is
 * gzip and base64 as CloudWatch Logs sends it; it only triggers the work: what is wrong is read from
 * the cluster, never taken from the log.
 */
public final class ClusterChangeHandler extends LinkHandler {
    static final Set<Concern> CONCERNS = EnumSet.of(Concern.EKS_SECRETS, Concern.LOAD_BALANCER);
    /** A batch decompresses to at most this: CloudWatch Logs sends at most 1 MB of log events per call. */
    static final int MAX_BATCH_BYTES = 2 * 1024 * 1024;
    static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");

    public ClusterChangeHandler() {
        super(CONCERNS);
    }

    public ClusterChangeHandler(AwsFunctions link) {
        super(link, CONCERNS);
    }

    @Override
    Decision decide(AwsFunctions link, JsonNode event, Context context) throws RefusedEvent {
        String data = EventBridgeEnvelope.text(event.path("awslogs"), "data")
                .orElseThrow(() -> new RefusedEvent(LinkHandler.UNKNOWN_ID, "not a CloudWatch Logs subscription event: it has no awslogs.data"));
        JsonNode batch = decode(data);
        LinkSpec spec = link.spec();
        String logGroup = batch.path("logGroup").asText("");
        String firstId = batch.path("logEvents").path(0).path("id").asText(LinkHandler.UNKNOWN_ID);
        String batchId = "cwl:" + firstId;
        if (!"DATA_MESSAGE".equals(batch.path("messageType").asText())) {
            throw new RefusedEvent(batchId, "messageType '" + batch.path("messageType").asText() + "' is not DATA_MESSAGE (CloudWatch Logs' own check)");
        }
        EventOrigin.requireAwsAccount(batchId, batch.path("owner").asText(""), spec);
        if (!logGroup.equals(auditLogGroup(spec))) {
            throw new RefusedEvent(batchId, "log group '" + logGroup + "' is not the audit log of cluster " + spec.aws().eksCluster());
        }
        Set<Concern> concerns = EnumSet.noneOf(Concern.class);
        String auditId = null;
        for (JsonNode logEvent : batch.path("logEvents")) {
            JsonNode audit = parse(logEvent.path("message").asText(""));
            if (audit == null) {
                continue; // not an audit event (a truncated line): the next reconcile covers it
            }
            Set<Concern> about = concernsOf(audit, spec);
            if (!about.isEmpty()) {
                concerns.addAll(about);
                auditId = auditId != null ? auditId : audit.path("auditID").asText(firstId);
            }
        }
        if (concerns.isEmpty()) {
            throw new RefusedEvent(batchId, "no audit event in the batch wrote or deleted an object of the link in namespace "
                    + spec.relay().namespace());
        }
        // The audit id is the change's own: a redelivered batch, or the same change in two batches, runs once.
        return Decision.reconcile("k8s-audit:" + auditId, concerns);
    }

    /** What an audit event changed that the link owns, as the concerns that repair it; empty when it is not about the link. */
    static Set<Concern> concernsOf(JsonNode audit, LinkSpec spec) {
        JsonNode ref = audit.path("objectRef");
        LinkSpec.Relay relay = spec.relay();
        if (!"ResponseComplete".equals(audit.path("stage").asText()) || !WRITES.contains(audit.path("verb").asText())
                || !relay.namespace().equals(ref.path("namespace").asText()) || audit.path("responseStatus").path("code").asInt(0) >= 400) {
            return Set.of();
        }
        String name = ref.path("name").asText("");
        return switch (ref.path("resource").asText("")) {
            case "secrets" -> name.equals(relay.tlsSecret()) || name.equals(relay.clientCaSecret()) || name.equals(relay.crlSecret())
                    ? EnumSet.of(Concern.EKS_SECRETS) : Set.of();
            case "clienttrafficpolicies" -> name.equals(relay.clientTrafficPolicy()) ? EnumSet.of(Concern.EKS_SECRETS) : Set.of();
            case "endpointslices", "targetgroupbindings" -> name.startsWith(relay.gatewayService()) ? EnumSet.of(Concern.LOAD_BALANCER) : Set.of();
            default -> Set.of();
        };
    }

    /** EKS writes the control plane's logs to this group. */
    public static String auditLogGroup(LinkSpec spec) {
        return "/aws/eks/" + spec.aws().eksCluster() + "/cluster";
    }

    private static JsonNode decode(String data) throws RefusedEvent {
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(data.strip());
        } catch (IllegalArgumentException e) {
            throw new RefusedEvent(LinkHandler.UNKNOWN_ID, "awslogs.data is not base64");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] json = in.readNBytes(MAX_BATCH_BYTES + 1);
            if (json.length > MAX_BATCH_BYTES) {
                throw new RefusedEvent(LinkHandler.UNKNOWN_ID, "the log batch decompresses to more than " + MAX_BATCH_BYTES / 1024 / 1024 + " MiB");
            }
            JsonNode batch = JsonLines.JSON.readTree(json);
            if (batch == null || !batch.isObject()) {
                throw new RefusedEvent(LinkHandler.UNKNOWN_ID, "the log batch is not a JSON object");
            }
            return batch;
        } catch (JsonProcessingException e) {
            throw new RefusedEvent(LinkHandler.UNKNOWN_ID, "the log batch is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RefusedEvent(LinkHandler.UNKNOWN_ID, "awslogs.data is not gzip: " + e.getMessage());
        }
    }

    private static JsonNode parse(String message) {
        try {
            JsonNode audit = JsonLines.JSON.readTree(message);
            return audit != null && audit.isObject() && "Event".equals(audit.path("kind").asText()) ? audit : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
