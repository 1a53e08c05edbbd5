package dev.relaylink.azure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every resource of deploy/azure/relay-link.json against the published ARM schema of its type and
 * API version (../shared/schemas/arm), unknown properties refused: what this machine can check of
 * a template it cannot deploy.
 */
class ArmTemplateSchemaTest {
    /**
     * Types the published schemas here do not describe in any API version (checked below, so a
     * schema added later is used at once): Application Insights components and Event Hubs are not
     * among the copied providers, and deployments are Microsoft.Resources (their inline template's
     * resources are checked like the others).
     */
    static final Set<String> NOT_PUBLISHED_HERE = Set.of("Microsoft.Insights/components", "Microsoft.EventHub/namespaces",
            "Microsoft.EventHub/namespaces/eventhubs", "Microsoft.EventHub/namespaces/authorizationRules", "Microsoft.Resources/deployments");

    private final ArmSchemas schemas = ArmSchemas.published();
    private final AzureTemplate template = AzureTemplate.read();

    @Test
    void everyResourceMatchesThePublishedSchemaOfItsTypeAndApiVersion() {
        List<JsonNode> resources = template.resources();
        assertThat(resources).hasSizeGreaterThan(30);
        int checked = 0;
        for (JsonNode resource : resources) {
            String type = resource.path("type").asText();
            String apiVersion = resource.path("apiVersion").asText();
            if (NOT_PUBLISHED_HERE.contains(type)) {
                continue;
            }
            String definition = schemas.definitionOf(type, apiVersion)
                    .orElseThrow(() -> new AssertionError("no published schema for " + type + "@" + apiVersion));
            assertThat(schemas.validate(resource, definition)).as(type + "@" + apiVersion + " " + resource.path("name").asText()).isEmpty();
            checked++;
        }
        assertThat(checked).isGreaterThan(25);
    }

    @Test
    void theTypesLeftUncheckedHaveNoPublishedSchemaHere() {
        for (String type : NOT_PUBLISHED_HERE) {
            assertThat(schemas.describesAnyVersionOf(type)).as(type).isFalse();
        }
        assertThat(template.resources().stream().map(r -> r.path("type").asText()).filter(NOT_PUBLISHED_HERE::contains).distinct())
                .as("each exception is used").hasSameSizeAs(NOT_PUBLISHED_HERE);
    }

    @Test
    void aMisspelledPropertyFails() {
        ObjectNode storage = first("Microsoft.Storage/storageAccounts");
        ObjectNode properties = (ObjectNode) storage.path("properties");
        properties.set("allowSharedKeyAcess", properties.remove("allowSharedKeyAccess"));
        assertThat(errors(storage)).anyMatch(e -> e.contains("allowSharedKeyAcess"));

        ObjectNode vault = first("Microsoft.KeyVault/vaults");
        vault.set("lcation", vault.remove("location"));
        assertThat(errors(vault)).anyMatch(e -> e.contains("lcation"));

        // deep inside: a load-balancing rule of the forwarder's load balancer
        ObjectNode balancer = first("Microsoft.Network/loadBalancers");
        ((ObjectNode) balancer.path("properties").path("loadBalancingRules").get(0).path("properties")).put("enableTcpRest", true);
        assertThat(errors(balancer)).anyMatch(e -> e.contains("enableTcpRest"));
    }

    @Test
    void aValueOutsideTheSchemaFailsAndAnExpressionIsAccepted() {
        ObjectNode site = first("Microsoft.Web/sites");
        ObjectNode config = (ObjectNode) site.path("properties").path("siteConfig");
        config.put("minTlsVersion", "1.4");
        assertThat(errors(site)).isNotEmpty();
        config.put("minTlsVersion", "[parameters('minTls')]");
        assertThat(errors(site)).isEmpty();
    }

    private ObjectNode first(String type) {
        return (ObjectNode) template.resources(type).get(0).deepCopy();
    }

    private List<String> errors(JsonNode resource) {
        String type = resource.path("type").asText();
        return schemas.validate(resource, schemas.definitionOf(type, resource.path("apiVersion").asText()).orElseThrow());
    }
}
