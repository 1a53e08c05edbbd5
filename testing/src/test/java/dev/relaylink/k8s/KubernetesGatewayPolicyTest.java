package dev.relaylink.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relaylink.state.GatewayClientPolicy;
import dev.relaylink.testing.MockCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesGatewayPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GatewayClientPolicy POLICY = new GatewayClientPolicy("relay", "relay-client-validation",
            List.of(GatewayClientPolicy.target("relay", "https")), "1.3", "RequireAndVerify",
            List.of("Secret/relay/relay-client-ca"), List.of("Secret/relay/relay-client-crl"),
            List.of("Exact:spiffe://aks.example/ns/payments/sa/checkout", "Exact:spiffe://aks.example/ns/shipping/sa/tracker"), List.of());

    private final MockCluster cluster = new MockCluster();
    private final KubernetesGatewayPolicy policies = new KubernetesGatewayPolicy(cluster.client);

    @AfterEach
    void stop() {
        cluster.close();
    }

    private GenericKubernetesResource stored() {
        return cluster.client.genericKubernetesResources(KubernetesGatewayPolicy.CLIENT_TRAFFIC_POLICIES).inNamespace("relay")
                .withName("relay-client-validation").get();
    }

    private void update(GenericKubernetesResource edited) {
        cluster.client.genericKubernetesResources(KubernetesGatewayPolicy.CLIENT_TRAFFIC_POLICIES).inNamespace("relay").resource(edited).update();
    }

    @Test
    void writesAnObjectThePublishedCrdAcceptsAndReadsItBack() {
        assertThat(policies.apply(POLICY)).isTrue();

        GenericKubernetesResource written = stored();
        CrdSchemas.assertValid(written);
        assertThat(written.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "relay-link");
        JsonNode validation = JSON.valueToTree(written.getAdditionalProperties()).path("spec").path("tls").path("clientValidation");
        assertThat(validation.path("mode").asText()).isEqualTo("RequireAndVerify");
        assertThat(validation.path("caCertificateRefs").get(0).path("name").asText()).isEqualTo("relay-client-ca");
        assertThat(validation.path("crl").path("refs").get(0).path("name").asText()).isEqualTo("relay-client-crl");
        assertThat(validation.path("subjectAltNames").path("uris")).hasSize(2);
        assertThat(policies.observe("relay", "relay-client-validation")).contains(POLICY);
        assertThat(policies.observe("relay", "nothing-here")).isEmpty();
    }

    @Test
    void anUnchangedPolicyIsNotWrittenAgain() {
        policies.apply(POLICY);
        cluster.requests();

        assertThat(policies.apply(POLICY)).isFalse();

        assertThat(cluster.requests()).allMatch(request -> request.startsWith("GET"));
    }

    @Test
    void everyFieldRelayLinkDoesNotWriteIsReportedAndRemovedOnTheNextWrite() {
        policies.apply(POLICY);
        GenericKubernetesResource edited = stored();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) edited.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> validation = (Map<String, Object>) ((Map<String, Object>) spec.get("tls")).get("clientValidation");
        validation.put("allowExpiredCertificate", true);
        ((Map<String, Object>) validation.get("subjectAltNames")).put("dnsNames", List.of(Map.of("type", "Suffix", "value", ".example")));
        update(edited);

        GatewayClientPolicy found = policies.observe("relay", "relay-client-validation").orElseThrow();
        assertThat(found.otherSettings()).containsExactlyInAnyOrder("spec.tls.clientValidation.allowExpiredCertificate",
                "spec.tls.clientValidation.subjectAltNames.dnsNames");

        assertThat(policies.apply(POLICY)).isTrue();
        assertThat(policies.observe("relay", "relay-client-validation")).contains(POLICY);
        CrdSchemas.assertValid(stored());
    }

    @Test
    void otherOwnersLabelsSurviveARewrite() {
        policies.apply(POLICY);
        GenericKubernetesResource labelled = stored();
        labelled.getMetadata().getLabels().put("team", "platform");
        update(labelled);

        policies.apply(new GatewayClientPolicy("relay", "relay-client-validation", POLICY.targets(), "1.3", "RequireAndVerify",
                POLICY.caCertificateRefs(), POLICY.crlRefs(), POLICY.subjectAltNameUris().subList(0, 1), List.of()));

        assertThat(stored().getMetadata().getLabels()).containsEntry("team", "platform").containsEntry("app.kubernetes.io/managed-by", "relay-link");
        assertThat(policies.observe("relay", "relay-client-validation").orElseThrow().subjectAltNameUris()).hasSize(1);
    }

    @Test
    void badInputIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> policies.apply(new GatewayClientPolicy("Relay_NS", "p", List.of(), "1.3", "RequireAndVerify",
                List.of(), List.of(), List.of(), List.of()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Relay_NS");
        assertThatThrownBy(() -> policies.apply(new GatewayClientPolicy("relay", "p", List.of(), "1.3", "RequireAndVerify",
                List.of(), List.of(), List.of(), List.of("spec.timeout")))).isInstanceOf(IllegalArgumentException.class);
        assertThat(cluster.requests()).isEmpty();
    }
}
