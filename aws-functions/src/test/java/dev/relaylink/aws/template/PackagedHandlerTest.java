package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.handler.EndpointConnectionHandler;
import dev.relaylink.aws.handler.HandlerResponse;
import dev.relaylink.aws.handler.ServerCertificateRotationHandler;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import dev.relaylink.aws.testing.PackagedFunction;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.state.Target;
import dev.relaylink.spec.LinkSpecReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handlers run from exactly what `mvn package` built: each in a fresh JVM whose function class
 * loader sees the unpacked function zip and layers and nothing else (as in a Lambda container),
 * configured only by template.yaml's environment variables, against the AWS emulator and the mock
 * EKS API. A jar missing from the layers fails here with the class the handler could not load
 * (leaving out fabric8's model jars for APIs relay-link never calls did: the client registers
 * handlers for Jobs, Deployments and more when it is built, so those jars stay).
 */
class PackagedHandlerTest {
    @TempDir
    Path work;

    private AwsFunctionsWorld world;
    private Map<String, String> environment;
    private PackagedFunction function;

    @BeforeEach
    void setUp() throws Exception {
        world = new AwsFunctionsWorld();
        // the server side as the first reconcile leaves it: CA on the KMS key, server certificate, EKS secrets
        HandlerResponse bootstrap = world.invoke(new ServerCertificateRotationHandler(world.link),
                AwsFunctionsWorld.fresh(AwsFunctionsWorld.event("scheduled-event.json")));
        assertThat(bootstrap.result()).as(bootstrap.toString()).isEqualTo("APPLIED");
        environment = PackagedFunction.environment(world);
        function = new PackagedFunction(LambdaPackage.built(), work, environment);
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void theRotationWritesANewCertificateIntoEksThroughTheLayersFabric8() throws Exception {
        String token = UUID.randomUUID().toString();
        for (String step : List.of("createSecret", "setSecret")) {
            ObjectNode event = JsonLines.JSON.createObjectNode().put("Step", step)
                    .put("SecretId", world.spec.aws().serverCertSecretId()).put("ClientRequestToken", token);
            PackagedFunction.Launch launch = function.firstEvent(ServerCertificateRotationHandler.class.getName(),
                    function.eventFile(step + ".json", event.toString()), List.of());
            assertThat(result(launch).path("result").asText()).as(step + ": " + launch).isEqualTo("APPLIED");
        }

        Credential pending = world.link.ports().serverCertificates().pending(token).orElseThrow();
        assertThat(world.eks.client.secrets().inNamespace(world.spec.relay().namespace()).withName(world.spec.relay().tlsSecret()).get()
                .getMetadata().getAnnotations())
                .containsEntry("relay-link.dev/fingerprint", Certificates.fingerprint(pending.leaf()));
    }

    @Test
    void theConnectionScheduleLocksDownTheLinksEndpointServiceThroughTheEc2Layer() throws Exception {
        String serviceId = PackagedFunction.seedOpenEndpointService(world);
        String account = PackagedFunction.emulatorAccount(world);
        String event = AwsFunctionsWorld.fresh(AwsFunctionsWorld.event("scheduled-event.json")).toString().replace(AwsFunctionsWorld.ACCOUNT, account);

        PackagedFunction.Launch launch = function.firstEvent(EndpointConnectionHandler.class.getName(),
                function.eventFile("schedule.json", event), List.of());

        assertThat(result(launch).path("result").asText()).as(launch.toString()).isEqualTo("APPLIED");
        var service = world.aws.ec2().describeVpcEndpointServiceConfigurations(r -> r.serviceIds(serviceId)).serviceConfigurations().get(0);
        assertThat(service.acceptanceRequired()).isTrue();
        // the spec the function read from its environment names the NLB
        assertThat(service.networkLoadBalancerArns())
                .containsExactly(LinkSpecReader.read(environment.get("RELAY_LINK_SPEC")).aws().nlb().loadBalancerArn());
        assertThat(world.aws.ec2().describeVpcEndpointServicePermissions(r -> r.serviceId(serviceId)).allowedPrincipals())
                .extracting(p -> p.principal()).containsExactlyInAnyOrderElementsOf(world.spec.aws().endpointService().allowedPrincipals());
    }

    /**
     * The load balancer functions read the gateway's ready pods from EndpointSlices. Their other calls
     * need the emulator's NLB, whose ARN no spec accepts, so this runs the EKS adapter alone: from a
     * class loader over exactly the unpacked package (parent: the platform loader), as the handlers
     * build it, against the mock EKS API.
     */
    @Test
    void theGatewayEndpointsAreReadThroughTheLayersFabric8() throws Exception {
        LambdaPackage.Unpacked unpacked = function.unpacked();
        List<URL> urls = new ArrayList<>();
        for (Path p : unpacked.classpath()) {
            urls.add(p.toUri().toURL());
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader lambda = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(lambda); // as the Java runtime sets it
            Class<?> clients = Class.forName("dev.relaylink.k8s.KubernetesClients", true, lambda);
            Supplier<String> token = () -> "k8s-aws-v1.test";
            Object eks = clients.getMethod("create", String.class, Supplier.class, String.class)
                    .invoke(null, environment.get("EKS_CLUSTER_ENDPOINT"), token, Pem.write(world.pki.serverCa.certificate()));
            Class<?> client = Class.forName("io.fabric8.kubernetes.client.KubernetesClient", false, lambda);
            Object endpoints = Class.forName("dev.relaylink.k8s.KubernetesGatewayEndpoints", true, lambda).getConstructor(client).newInstance(eks);
            Set<?> ready = (Set<?>) endpoints.getClass().getMethod("ready", String.class, String.class, int.class)
                    .invoke(endpoints, world.spec.relay().namespace(), world.spec.relay().gatewayService(), world.spec.relay().port());

            assertThat(ready).extracting(Object::toString).containsExactlyInAnyOrderElementsOf(AwsFunctionsWorld.GATEWAY_PODS.stream()
                    .map(ip -> new Target(ip, AwsFunctionsWorld.GATEWAY_POD_PORT).toString()).toList());
            assertThat(ready.iterator().next().getClass().getClassLoader()).isSameAs(lambda);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static JsonNode result(PackagedFunction.Launch launch) throws Exception {
        return JsonLines.JSON.readTree(launch.result().isEmpty() ? "{}" : launch.result());
    }
}
