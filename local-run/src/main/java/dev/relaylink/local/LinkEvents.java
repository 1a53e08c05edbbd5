package dev.relaylink.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.handler.ClusterChangeHandler;
import dev.relaylink.aws.testing.SampleEvents;
import dev.relaylink.spec.LinkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Events in the formats AWS and Azure publish, from the sample files the handler and function
 * tests use (testing/src/main/resources/events), addressed to the local link.
 */
final class LinkEvents {
    /** The connection name the Azure PEC write sample is about. */
    private static final String SAMPLE_CONNECTION = "aks-relay-pe.8a7c5a43-6d2b-4f0e-9b61-3f0b8de5c2a1";

    private final LinkSpec spec;
    private final Supplier<Optional<String>> endpointServiceId;

    LinkEvents(LinkSpec spec, Supplier<Optional<String>> endpointServiceId) {
        this.spec = spec;
        this.endpointServiceId = endpointServiceId;
    }

    // --- AWS ---

    ObjectNode scheduled() {
        return aws("scheduled-event.json");
    }

    /** A CloudTrail (or other EventBridge) sample about the local link's own resources. */
    ObjectNode cloudTrail(String sample) {
        return SampleEvents.about(aws(sample), spec, endpointServiceId.get());
    }

    /** The endpoint service's SNS connection notification ({@code Connect}) for {@code serviceId}. */
    ObjectNode connectNotification(String serviceId, String vpcEndpointId, String owner) {
        ObjectNode event = aws("endpoint-connect-sns.json");
        ObjectNode sns = (ObjectNode) event.get("Records").get(0).get("Sns");
        try {
            ObjectNode message = (ObjectNode) JsonLines.JSON.readTree(sns.get("Message").asText());
            message.put("serviceId", serviceId).put("vpcEndpointId", vpcEndpointId).put("vpcEndpointOwner", owner);
            sns.put("Message", JsonLines.JSON.writeValueAsString(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sns.put("MessageId", UUID.randomUUID().toString());
        return event;
    }

    /**
     * The EKS audit log's record of a write to an object in the relay namespace, as the CloudWatch Logs
     * subscription delivers it (gzip and base64 in {@code awslogs.data}).
     */
    ObjectNode eksAudit(String verb, String resource, String name) {
        ObjectNode audit = aws("eks-audit-secret-delete.json");
        audit.put("auditID", UUID.randomUUID().toString()).put("verb", verb);
        ((ObjectNode) audit.get("objectRef")).put("resource", resource).put("namespace", spec.relay().namespace()).put("name", name);
        return SampleEvents.cloudWatchLogs("DATA_MESSAGE", spec.aws().accountId(), ClusterChangeHandler.auditLogGroup(spec), List.of(audit));
    }

    /** The AKS audit log's record of a deleted workload secret, as the diagnostic setting streams it to the Event Hub. */
    String aksSecretDeleted(LinkSpec.Workload workload) {
        ObjectNode records = read("aks-audit-secret-delete.json", "MANAGEDCLUSTERS/RELAY-AKS",
                "MANAGEDCLUSTERS/" + spec.azure().aksCluster().toUpperCase(java.util.Locale.ROOT));
        ObjectNode record = (ObjectNode) records.get("records").get(0);
        try {
            ObjectNode audit = (ObjectNode) JsonLines.JSON.readTree(record.get("properties").get("log").asText());
            audit.put("auditID", UUID.randomUUID().toString());
            ((ObjectNode) audit.get("objectRef")).put("namespace", workload.namespace()).put("name", workload.secretName());
            ((ObjectNode) record.get("properties")).put("log", audit.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records.toString();
    }

    /** Secrets Manager's invocation of the rotation function for one step. */
    ObjectNode rotationStep(String step, String token) {
        ObjectNode event = aws("secretsmanager-rotation-createSecret.json");
        event.put("Step", step).put("ClientRequestToken", token)
                .put("SecretId", "arn:aws:secretsmanager:" + spec.aws().region() + ":" + spec.aws().accountId() + ":secret:"
                        + spec.aws().serverCertSecretId() + "-AbCdEf");
        return event;
    }

    private ObjectNode aws(String sample) {
        ObjectNode event = read(sample, "eu-west-1", spec.aws().region());
        if (event.has("id")) {
            event.put("id", UUID.randomUUID().toString());
        }
        return event;
    }

    // --- Azure (Event Grid schema) ---

    /** ResourceWriteSuccess for a private endpoint connection write on the link's Private Link Service. */
    String privateEndpointConnectionWrite(String connectionName) {
        ObjectNode event = read("resource-write-success-pec.eventgrid.json", SAMPLE_CONNECTION, connectionName);
        event.put("id", UUID.randomUUID().toString());
        return event.toString();
    }

    /** Key Vault's CertificateNearExpiry for the workload's current version ({@code leaf}). */
    String certificateNearExpiry(LinkSpec.Workload workload, String version, X509Certificate leaf) {
        ObjectNode event = read("certificate-near-expiry.eventgrid.json", "client-payments--checkout", workload.keyVaultCertificateName());
        event.put("id", UUID.randomUUID().toString());
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("Version", version)
                .put("Id", data.get("Id").asText().replace("3f0c6e2b9a8d4c7e91b5a2d4f6e8c0a1", version))
                .put("NBF", leaf.getNotBefore().toInstant().getEpochSecond())
                .put("EXP", leaf.getNotAfter().toInstant().getEpochSecond());
        return event.toString();
    }

    private static ObjectNode read(String sample, String from, String to) {
        try (InputStream in = LinkEvents.class.getResourceAsStream("/events/" + sample)) {
            if (in == null) {
                throw new IllegalStateException("no sample event " + sample + " on the class path");
            }
            return (ObjectNode) JsonLines.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
