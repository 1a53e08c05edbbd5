package dev.relaylink.azure.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/azure/event-subscriptions.bicep routes exactly the events the functions accept to the
 * functions that exist: a renamed function or a changed event type fails here, not in Azure.
 */
class EventSubscriptionsTest {
    private static final Path BICEP = Path.of("..", "deploy", "azure", "event-subscriptions.bicep");

    @Test
    void eachSubscriptionTargetsAFunctionOfThisApp() throws IOException {
        Matcher targets = Pattern.compile("resourceId: '\\$\\{functionApp\\.id}/functions/(\\w+)'").matcher(bicep());
        List<String> functions = targets.results().map(m -> m.group(1)).toList();
        assertThat(functions).containsExactly(PrivateEndpointApprovalFunction.NAME, ClientCertificateRotationFunction.NAME);
    }

    @Test
    void theFiltersLetThroughWhatTheFunctionsHandle() throws IOException {
        String approval = subscription("privateEndpointApproval");
        assertThat(approval).contains("'" + PrivateEndpointWrite.EVENT_TYPE + "'").contains("'" + PrivateEndpointWrite.OPERATION + "'")
                .contains("key: 'data.operationName'")
                .contains("subjectBeginsWith: '${resourceGroup().id}/providers/Microsoft.Network/privateLinkServices/${privateLinkServiceName}/privateEndpointConnections/'");

        String rotation = subscription("clientCertificateRotation");
        assertThat(rotation).contains("'" + CertificateExpiry.NEAR_EXPIRY + "'").contains("'" + CertificateExpiry.EXPIRED + "'");
        // Every workload certificate name starts like this (LinkSpec.Workload.keyVaultCertificateName).
        assertThat(AzureHarness.SPEC.workloads()).allMatch(w -> w.keyVaultCertificateName().startsWith("client-"));
        assertThat(rotation).contains("subjectBeginsWith: 'client-'");
    }

    @Test
    void undeliverableEventsAreKeptNotDropped() throws IOException {
        for (String name : List.of("privateEndpointApproval", "clientCertificateRotation")) {
            assertThat(subscription(name)).contains("maxEventsPerBatch: 1").contains("retryPolicy: retryPolicy")
                    .contains("deadLetterDestination: deadLetterDestination");
        }
    }

    private static String bicep() throws IOException {
        return Files.readString(BICEP);
    }

    /** The text of one eventSubscriptions resource, from its declaration to the next resource or output. */
    private static String subscription(String symbol) throws IOException {
        String text = bicep();
        int start = text.indexOf("resource " + symbol + " 'Microsoft.EventGrid/systemTopics/eventSubscriptions@");
        assertThat(start).as(symbol + " is declared").isNotNegative();
        int end = text.indexOf("\nresource ", start + 1);
        int output = text.indexOf("\noutput ", start + 1);
        end = end < 0 ? output : Math.min(end, output < 0 ? end : output);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
