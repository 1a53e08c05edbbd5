package dev.relaylink.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class CrdSchemasTest {
    private static final String POLICY = """
            apiVersion: gateway.envoyproxy.io/v1alpha1
            kind: ClientTrafficPolicy
            metadata:
              name: relay-client-validation
              namespace: relay
              labels: {app.kubernetes.io/managed-by: relay-link}
            spec:
              targetRefs:
              - {group: gateway.networking.k8s.io, kind: Gateway, name: relay, sectionName: relay-https}
              tls:
                minVersion: "1.3"
                clientValidation:
                  mode: RequireAndVerify
                  caCertificateRefs:
                  - {kind: Secret, name: relay-client-ca}
                  %s:
                    uris:
                    - {type: Exact, value: "spiffe://aks.example/ns/payments/sa/checkout"}
            """;

    @Test
    void aValidClientTrafficPolicyPasses() {
        assertThat(CrdSchemas.errorsInYaml(POLICY.formatted("subjectAltNames"))).isEmpty();
    }

    @Test
    void aMisspelledFieldFailsNamingItsPath() {
        assertThat(CrdSchemas.errorsInYaml(POLICY.formatted("subjectAltName")))
                .singleElement(STRING)
                .contains("ClientTrafficPolicy/relay-client-validation")
                .contains("/spec/tls/clientValidation: property 'subjectAltName'")
                .contains("subjectAltName");
    }

    @Test
    void aValueOutsideTheEnumAndAMissingRequiredFieldFail() {
        String weakened = POLICY.formatted("subjectAltNames").replace("RequireAndVerify", "Optional")
                .replace("{kind: Secret, name: relay-client-ca}", "{kind: Secret}");
        assertThat(CrdSchemas.errorsInYaml(weakened))
                .anySatisfy(error -> assertThat(error).contains("/spec/tls/clientValidation/mode"))
                .anySatisfy(error -> assertThat(error).contains("/spec/tls/clientValidation/caCertificateRefs/0").contains("name"));
    }

    @Test
    void metadataIsLeftToTheBuiltInRulesAndAnUnknownTopLevelFieldFails() {
        String withTopLevelTypo = POLICY.formatted("subjectAltNames") + "specs: {}\n";
        assertThat(CrdSchemas.errorsInYaml(withTopLevelTypo)).singleElement(STRING)
                .contains("specs");
    }

    @Test
    void checksFabric8ResourcesAndAssertValidListsTheErrors() {
        GenericKubernetesResource policy = Serialization.unmarshal(POLICY.formatted("subjectAltName"), GenericKubernetesResource.class);
        assertThatThrownBy(() -> CrdSchemas.assertValid(policy))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ClientTrafficPolicy relay-client-validation")
                .hasMessageContaining("subjectAltName");
        CrdSchemas.assertValid(Serialization.unmarshal(POLICY.formatted("subjectAltNames"), GenericKubernetesResource.class));
    }

    @Test
    void otherPublishedKindsAreCheckedByTheirOwnCrd() {
        String binding = """
                apiVersion: elbv2.k8s.aws/v1beta1
                kind: TargetGroupBinding
                metadata: {name: relay-gateway, namespace: relay}
                spec:
                  serviceRef: {name: envoy-relay, port: 443}
                  targetGroupARN: arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/relay/0123456789abcdef
                  targetType: ip
                """;
        assertThat(CrdSchemas.errorsInYaml(binding)).isEmpty();
        assertThat(CrdSchemas.errorsInYaml(binding.replace("targetType", "targetTyp"))).singleElement(STRING).contains("targetTyp");
    }

    @Test
    void theTypeMustBeOnePublishedAndServed() {
        assertThat(CrdSchemas.isPublished("elbv2.k8s.aws/v1beta1", "TargetGroupBinding")).isTrue();
        assertThat(CrdSchemas.isPublished("gateway.envoyproxy.io/v1alpha1", "Backend")).isFalse();
        assertThat(CrdSchemas.isPublished("v1", "ConfigMap")).isFalse();
        assertThatThrownBy(() -> CrdSchemas.errors(Serialization.unmarshal(POLICY.formatted("subjectAltNames")
                .replace("v1alpha1", "v1alpha9"), GenericKubernetesResource.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v1alpha9");
    }
}
