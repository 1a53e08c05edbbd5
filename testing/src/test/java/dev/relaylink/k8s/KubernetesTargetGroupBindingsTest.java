package dev.relaylink.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.plan.Planner;
import dev.relaylink.state.TargetGroupBinding;
import dev.relaylink.testing.MockCluster;
import dev.relaylink.testing.TestSpecs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesTargetGroupBindingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TargetGroupBinding BINDING = Planner.targetGroupBinding(TestSpecs.example());

    private final MockCluster cluster = new MockCluster();
    private final KubernetesTargetGroupBindings bindings = new KubernetesTargetGroupBindings(cluster.client);

    @AfterEach
    void stop() {
        cluster.close();
    }

    private GenericKubernetesResource stored() {
        return cluster.client.genericKubernetesResources(KubernetesTargetGroupBindings.TARGET_GROUP_BINDINGS).inNamespace("relay")
                .withName("relay-gateway").get();
    }

    @SuppressWarnings("unchecked")
    private void editSpec(java.util.function.Consumer<Map<String, Object>> edit) {
        GenericKubernetesResource object = stored();
        edit.accept((Map<String, Object>) object.getAdditionalProperties().get("spec"));
        cluster.client.genericKubernetesResources(KubernetesTargetGroupBindings.TARGET_GROUP_BINDINGS).inNamespace("relay").resource(object).update();
    }

    @Test
    void writesTheBindingThePublishedCrdAcceptsAndReadsItBack() {
        assertThat(bindings.apply(BINDING)).isTrue();

        GenericKubernetesResource written = stored();
        CrdSchemas.assertValid(written);
        assertThat(written.getApiVersion()).isEqualTo("elbv2.k8s.aws/v1beta1");
        assertThat(written.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "relay-link");
        JsonNode spec = JSON.valueToTree(written.getAdditionalProperties()).path("spec");
        assertThat(spec.path("targetGroupARN").asText()).isEqualTo(TestSpecs.TG_ARN);
        assertThat(spec.path("targetType").asText()).isEqualTo("ip");
        assertThat(spec.path("serviceRef").path("name").asText()).isEqualTo("relay-gateway");
        assertThat(spec.path("serviceRef").path("port").asInt()).isEqualTo(443);
        JsonNode ingress = spec.path("networking").path("ingress");
        assertThat(ingress).hasSize(1);
        assertThat(ingress.get(0).path("from").get(0).path("securityGroup").path("groupID").asText()).isEqualTo("sg-0123456789abcdef0");
        assertThat(ingress.get(0).path("from").get(0).has("ipBlock")).isFalse();
        assertThat(bindings.observe("relay", "relay-gateway")).contains(BINDING);
        assertThat(bindings.observe("relay", "nothing-here")).isEmpty();
    }

    @Test
    void aMisspelledFieldFailsTheSchemaCheck() {
        bindings.apply(BINDING);
        ObjectNode object = JSON.valueToTree(stored());
        ObjectNode spec = (ObjectNode) object.path("spec");
        spec.set("targetGroupArn", spec.remove("targetGroupARN"));
        assertThat(CrdSchemas.errors(object)).anySatisfy(e -> assertThat(e).contains("targetGroupArn"));

        ObjectNode wrongType = JSON.valueToTree(stored());
        ((ObjectNode) wrongType.path("spec")).put("targetType", "pod");
        assertThat(CrdSchemas.errors(wrongType)).anySatisfy(e -> assertThat(e).contains("targetType"));
    }

    @Test
    void anUnchangedBindingIsNotWrittenAgain() {
        bindings.apply(BINDING);
        cluster.requests();

        assertThat(bindings.apply(BINDING)).isFalse();

        assertThat(cluster.requests()).allMatch(request -> request.startsWith("GET"));
    }

    @Test
    void anEditedBindingIsReadAsWhatWasChangedAndRestoredByTheNextWrite() {
        bindings.apply(BINDING);
        editSpec(spec -> {
            spec.put("targetGroupARN", "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/other/0123456789abcdef");
            spec.put("nodeSelector", Map.of("matchLabels", Map.of("pool", "spot")));
            spec.put("networking", Map.of("ingress", List.of(Map.of("from", List.of(Map.of("ipBlock", Map.of("cidr", "0.0.0.0/0"))),
                    "ports", List.of(Map.of("protocol", "TCP"))))));
        });

        TargetGroupBinding found = bindings.observe("relay", "relay-gateway").orElseThrow();
        assertThat(found.targetGroupArn()).endsWith("targetgroup/other/0123456789abcdef");
        assertThat(found.ingressFromSecurityGroups()).isEmpty();
        assertThat(found.otherSettings()).hasSize(2).anySatisfy(s -> assertThat(s).isEqualTo("spec.nodeSelector"))
                .anySatisfy(s -> assertThat(s).contains("ipBlock"));

        assertThat(bindings.apply(BINDING)).isTrue();
        assertThat(bindings.observe("relay", "relay-gateway")).contains(BINDING);
        CrdSchemas.assertValid(stored());
    }

    @Test
    void aDeletedBindingIsCreatedAgain() {
        bindings.apply(BINDING);
        cluster.client.genericKubernetesResources(KubernetesTargetGroupBindings.TARGET_GROUP_BINDINGS).inNamespace("relay")
                .withName("relay-gateway").delete();
        assertThat(bindings.observe("relay", "relay-gateway")).isEmpty();

        assertThat(bindings.apply(BINDING)).isTrue();
        assertThat(bindings.observe("relay", "relay-gateway")).contains(BINDING);
    }

    @Test
    void badInputIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> bindings.apply(new TargetGroupBinding("Relay_NS", "relay-gateway", TestSpecs.TG_ARN, "ip", "relay-gateway",
                443, List.of(), List.of()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Relay_NS");
        assertThatThrownBy(() -> bindings.apply(new TargetGroupBinding("relay", "relay-gateway", TestSpecs.TG_ARN, "ip", "relay-gateway",
                443, List.of(), List.of("spec.nodeSelector")))).isInstanceOf(IllegalArgumentException.class);
        assertThat(cluster.requests()).isEmpty();
    }
}
