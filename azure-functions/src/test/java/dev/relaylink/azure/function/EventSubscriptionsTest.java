package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.azure.deploy.AzureTemplate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Event Grid subscriptions of deploy/azure/relay-link.json route exactly the events the
 * functions accept to the functions that exist: a renamed function or a changed event type fails
 * here, not in Azure.
 */
class EventSubscriptionsTest {
    private final AzureTemplate template = AzureTemplate.read();
    private final List<JsonNode> subscriptions = template.resources("Microsoft.EventGrid/systemTopics/eventSubscriptions");

    @Test
    void eachSubscriptionTargetsAFunctionOfThisApp() {
        List<String> functions = subscriptions.stream().map(s -> s.path("properties").path("destination"))
                .peek(d -> assertThat(d.path("endpointType").asText()).isEqualTo("AzureFunction"))
                .map(d -> d.path("properties").path("resourceId").asText())
                .map(id -> id.replaceAll("^\\[format\\('\\{0}/functions/(\\w+)', resourceId\\('Microsoft.Web/sites', parameters\\('functionAppName'\\)\\)\\)]$", "$1"))
                .toList();
        assertThat(functions).containsExactly(PrivateEndpointApprovalFunction.NAME, ClientCertificateRotationFunction.NAME);
    }

    @Test
    void theFiltersLetThroughWhatTheFunctionsHandle() {
        JsonNode approval = filter(PrivateEndpointApprovalFunction.NAME);
        assertThat(texts(approval.path("includedEventTypes"))).containsExactly(PrivateEndpointWrite.EVENT_TYPE);
        assertThat(approval.path("advancedFilters")).hasSize(1);
        JsonNode operation = approval.path("advancedFilters").get(0);
        assertThat(operation.path("operatorType").asText()).isEqualTo("StringIn");
        assertThat(operation.path("key").asText()).isEqualTo("data.operationName");
        assertThat(texts(operation.path("values"))).containsExactly(PrivateEndpointWrite.OPERATION);
        assertThat(approval.path("subjectBeginsWith").asText()).isEqualTo("[format('{0}/providers/Microsoft.Network/privateLinkServices/{1}"
                + "/privateEndpointConnections/', resourceGroup().id, parameters('privateLinkServiceName'))]");
        assertThat(approval.path("isSubjectCaseSensitive").asBoolean(true)).isFalse();

        JsonNode rotation = filter(ClientCertificateRotationFunction.NAME);
        assertThat(texts(rotation.path("includedEventTypes"))).containsExactlyInAnyOrder(CertificateExpiry.NEAR_EXPIRY, CertificateExpiry.EXPIRED);
        // Every workload certificate name starts like this (LinkSpec.Workload.keyVaultCertificateName).
        assertThat(AzureHarness.SPEC.workloads()).allMatch(w -> w.keyVaultCertificateName().startsWith("client-"));
        assertThat(rotation.path("subjectBeginsWith").asText()).isEqualTo("client-");
    }

    @Test
    void undeliverableEventsAreKeptNotDropped() {
        assertThat(subscriptions).hasSize(2).allSatisfy(s -> {
            JsonNode properties = s.path("properties");
            assertThat(properties.path("destination").path("properties").path("maxEventsPerBatch").asInt()).isEqualTo(1);
            assertThat(properties.path("retryPolicy").path("maxDeliveryAttempts").asInt()).isEqualTo(30);
            assertThat(properties.path("retryPolicy").path("eventTimeToLiveInMinutes").asInt()).isEqualTo(1440);
            assertThat(properties.path("deadLetterDestination").path("endpointType").asText()).isEqualTo("StorageBlob");
            assertThat(properties.path("deadLetterDestination").path("properties").path("blobContainerName").asText())
                    .isEqualTo("[variables('deadLetterContainer')]");
        });
    }

    @Test
    void theSubscriptionsWaitForTheFunctionsTheyDeliverTo() {
        // Event Grid checks a function endpoint when the subscription is made: they come with the second deployment.
        assertThat(subscriptions).allSatisfy(s -> {
            assertThat(s.path("condition").asText()).isEqualTo("[parameters('subscribeEvents')]");
            assertThat(texts(s.path("dependsOn"))).contains("[resourceId('Microsoft.Web/sites', parameters('functionAppName'))]");
        });
        assertThat(template.json().path("parameters").path("subscribeEvents").path("defaultValue").asBoolean(true)).isFalse();
    }

    private JsonNode filter(String function) {
        return subscriptions.stream()
                .filter(s -> s.path("properties").path("destination").path("properties").path("resourceId").asText().contains("/functions/" + function + "'"))
                .findFirst().orElseThrow(() -> new AssertionError("no subscription for " + function)).path("properties").path("filter");
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
