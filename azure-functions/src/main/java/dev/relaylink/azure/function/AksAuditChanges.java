package dev.relaylink.azure.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.plan.Concern;
import dev.relaylink.spec.LinkSpec;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A checked batch of AKS audit log records, as Azure Monitor's diagnostic setting streams them to
 * Event Hubs (each event {@code {"records": [...]}}, each record of category {@code kube-audit} or
 * {@code kube-audit-admin} carrying one Kubernetes audit event as the text of {@code properties.log}):
 * the completed writes to objects the link owns in AKS, which are the workloads' secrets and their
 * NetworkPolicies, and the concerns that repair them.
 *
 * @param eventId the first such change's own audit id: a redelivered batch runs once
 */
public record AksAuditChanges(String eventId, Set<Concern> concerns) {
    /** Event Hubs caps an event at 1 MB; the trigger hands over at most this many per call. */
    static final int MAX_EVENT_CHARS = 1024 * 1024;
    static final int MAX_EVENTS = 1000;
    static final Set<String> CATEGORIES = Set.of("kube-audit", "kube-audit-admin");
    static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");

    public static AksAuditChanges of(String[] events, LinkSpec spec) throws RefusedEvent {
        if (events == null || events.length == 0) {
            throw new RefusedEvent("no events in the batch");
        }
        if (events.length > MAX_EVENTS) {
            throw new RefusedEvent("a batch of " + events.length + " events is over the " + MAX_EVENTS + " limit");
        }
        String cluster = "/managedclusters/" + spec.azure().aksCluster().toLowerCase(Locale.ROOT);
        String firstChange = null;
        Set<Concern> concerns = EnumSet.noneOf(Concern.class);
        int records = 0;
        for (String event : events) {
            if (event == null || event.length() > MAX_EVENT_CHARS) {
                throw new RefusedEvent("an event of the batch is empty or over " + MAX_EVENT_CHARS + " characters");
            }
            JsonNode body = json(event);
            if (body == null || !body.path("records").isArray()) {
                throw new RefusedEvent("an event of the batch is not Azure Monitor's {\"records\": [...]}");
            }
            for (JsonNode record : body.path("records")) {
                records++;
                if (!CATEGORIES.contains(record.path("category").asText())
                        || !record.path("resourceId").asText("").toLowerCase(Locale.ROOT).endsWith(cluster)) {
                    continue; // another category or cluster shares the hub: not the link's
                }
                JsonNode audit = json(record.path("properties").path("log").asText(""));
                Set<Concern> about = audit == null ? Set.of() : concernsOf(audit, spec);
                if (!about.isEmpty()) {
                    concerns.addAll(about);
                    firstChange = firstChange != null ? firstChange : audit.path("auditID").asText("");
                }
            }
        }
        if (firstChange == null || firstChange.isBlank()) {
            throw new RefusedEvent("none of the " + records + " audit records wrote or deleted a workload secret or NetworkPolicy of the link"
                    + " in AKS cluster " + spec.azure().aksCluster());
        }
        return new AksAuditChanges("aks-audit:" + firstChange, concerns);
    }

    /**
     * What a completed, successful write changed that the link owns, as the concerns that repair it: a
     * workload's secret, or a NetworkPolicy in a workload's namespace; empty when it is not about the link.
     */
    static Set<Concern> concernsOf(JsonNode audit, LinkSpec spec) {
        JsonNode ref = audit.path("objectRef");
        if (!"Event".equals(audit.path("kind").asText()) || !"ResponseComplete".equals(audit.path("stage").asText())
                || !WRITES.contains(audit.path("verb").asText()) || audit.path("responseStatus").path("code").asInt(0) >= 400) {
            return Set.of();
        }
        String namespace = ref.path("namespace").asText("");
        String name = ref.path("name").asText("");
        return switch (ref.path("resource").asText("")) {
            case "secrets" -> spec.workloads().stream().anyMatch(w -> w.namespace().equals(namespace) && w.secretName().equals(name))
                    ? EnumSet.of(Concern.AKS_SECRETS) : Set.of();
            case "networkpolicies" -> spec.workloads().stream().anyMatch(w -> w.namespace().equals(namespace))
                    ? EnumSet.of(Concern.AKS_NETWORK_POLICIES) : Set.of();
            default -> Set.of();
        };
    }

    private static JsonNode json(String text) {
        try {
            return JsonLines.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
