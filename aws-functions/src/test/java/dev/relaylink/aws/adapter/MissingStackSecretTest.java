package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.aws.template.CloudFormationTemplate;
import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.spec.CaSecretNames;
import dev.relaylink.testing.TestPki;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The stack creates every secret relay-link writes, and the functions may not create one
 * (no secretsmanager:CreateSecret): a missing secret is a configuration error that names the stack
 * resource to deploy, and nothing is created (the AWS emulator's Secrets Manager; the server certificate's
 * case is in SecretsManagerServerCertificateStoreTest).
 */
class MissingStackSecretTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final TestPki PKI = new TestPki(NOW);

    @Test
    void theNamesTheCoreDerivesAreTheSecretsTheStackCreatesAndEachErrorNamesItsResource() {
        Map<String, String> resourceByName = new TreeMap<>();
        CloudFormationTemplate.ofRepository().resources("AWS::SecretsManager::Secret").forEach((id, resource) -> {
            JsonNode name = resource.path("Properties").path("Name");
            resourceByName.put(name.path("Fn::Sub").asText(name.asText()), id);
        });
        CaSecretNames names = CaSecretNames.forServerCertificate("${LinkName}/server-tls");
        List<String> derived = List.of(names.serverCertificate(), names.serverCas(), names.clientCas(), names.clientCasInGateway(),
                names.serverCasInWorkloads());

        assertThat(resourceByName.keySet()).containsExactlyInAnyOrderElementsOf(derived);
        resourceByName.forEach((name, id) -> assertThat(MissingStackSecretException.stackResourceFor(name)).as(name).isEqualTo(id));
    }

    @Test
    void caCertificatesWithoutTheirSecretAreAConfigurationErrorAndNothingIsCreated() {
        AwsClients aws = Emulator.clients();
        CaSecretNames names = CaSecretNames.forServerCertificate("relay-link-" + UUID.randomUUID() + "/server-tls");
        SecretsManagerPublishedCas serverCas = new SecretsManagerPublishedCas(aws.secretsManager(), names.serverCas());
        SecretsManagerPublishedCas confirmation = new SecretsManagerPublishedCas(aws.secretsManager(), names.serverCasInWorkloads());
        List<java.security.cert.X509Certificate> cas = List.of(PKI.serverCa.certificate());

        assertThatThrownBy(() -> serverCas.publish(cas)).isInstanceOf(MissingStackSecretException.class)
                .hasMessageContaining(names.serverCas()).hasMessageContaining("ServerCaCertificatesSecret");
        assertThatThrownBy(() -> confirmation.acknowledge(cas)).isInstanceOf(MissingStackSecretException.class)
                .hasMessageContaining("ServerCaInWorkloadsSecret");
        for (String id : List.of(names.serverCas(), names.serverCasInWorkloads())) {
            assertThatThrownBy(() -> aws.secretsManager().describeSecret(r -> r.secretId(id))).isInstanceOf(ResourceNotFoundException.class);
        }
    }
}
