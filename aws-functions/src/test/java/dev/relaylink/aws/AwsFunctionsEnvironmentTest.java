package dev.relaylink.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.adapter.KmsOwnedCa;
import dev.relaylink.aws.adapter.KmsSigner;
import dev.relaylink.aws.adapter.SecretsManagerPublishedCas;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.relaylink.aws.adapter.AwsClients.Service;
import dev.relaylink.aws.handler.EndpointConnectionHandler;
import dev.relaylink.aws.handler.EndpointServiceDriftHandler;
import dev.relaylink.aws.handler.HandlerResponse;
import dev.relaylink.aws.handler.LoadBalancerDriftHandler;
import dev.relaylink.aws.handler.ReconcileHandler;
import dev.relaylink.aws.handler.ServerCertificateRotationHandler;
import dev.relaylink.aws.testing.Emulator;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.spec.SpecException;
import dev.relaylink.testing.MockCluster;
import dev.relaylink.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * The link as a Lambda container builds it: from environment variables only (spec YAML, table, EKS
 * endpoint and CA), talking to the AWS emulator and to an HTTPS mock EKS API with an EKS bearer token.
 */
class AwsFunctionsEnvironmentTest {

    @Test
    void aContainerBuiltFromTheEnvironmentRunsARotationStepIntoEks() throws Exception {
        var aws = Emulator.clients();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String table = "relay-link-env-" + suffix;
        aws.dynamoDb().createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build()));
        String alias = "alias/relay-link-env-" + suffix;
        String key = aws.kms().createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
        aws.kms().createAlias(r -> r.aliasName(alias).targetKeyId(key));
        String secret = "relay-link/server-tls-env-" + suffix;
        // as the stack does: the server certificate's and the server CA's secrets exist
        aws.secretsManager().createSecret(r -> r.name(secret));
        aws.secretsManager().createSecret(r -> r.name(KmsOwnedCa.caSecretIdFor(secret)));
        // the server CA exists already (an earlier run made it)
        new KmsOwnedCa(new SecretsManagerPublishedCas(aws.secretsManager(), KmsOwnedCa.caSecretIdFor(secret)), aws.kms(),
                new KmsSigner(aws.kms(), alias), "relay-link-env", () -> { throw new AssertionError("no second generation here"); })
                .create("relay-link server CA", Instant.now(), Duration.ofDays(365));
        try (MockCluster eks = new MockCluster(true)) {
            AwsFunctions link = AwsFunctions.fromEnvironment(environment(table, secret, alias, eks));
            assertThat(link.settings().claims().functionTimeout()).as("claims last the function's timeout").isEqualTo(Duration.ofSeconds(120));
            String token = UUID.randomUUID().toString();

            for (String step : List.of("createSecret", "setSecret")) {
                HandlerResponse result = invoke(new ServerCertificateRotationHandler(link),
                        "{\"Step\":\"" + step + "\",\"SecretId\":\"" + secret + "\",\"ClientRequestToken\":\"" + token + "\"}");
                assertThat(result.result()).as(result.toString()).isEqualTo("APPLIED");
            }

            assertThat(eks.lastRequest().getHeader("Authorization")).as("the link's last request to EKS").startsWith("Bearer k8s-aws-v1.");
            Credential pending = link.ports().serverCertificates().pending(token).orElseThrow();
            assertThat(eks.client.secrets().inNamespace("relay").withName("relay-server-tls").get().getMetadata().getAnnotations())
                    .containsEntry("relay-link.dev/fingerprint", Certificates.fingerprint(pending.leaf()));
        }
    }

    private static HandlerResponse invoke(ServerCertificateRotationHandler handler, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JsonLines.JSON.readValue(out.toByteArray(), HandlerResponse.class);
    }

    @Test
    void refusesToStartWithoutWhatItNeeds(@TempDir Path dir) throws IOException {
        Map<String, String> environment = new HashMap<>(Map.of("AWS_REGION", "eu-west-1"));
        assertThatThrownBy(() -> AwsFunctions.fromEnvironment(environment)).hasMessageContaining("set exactly one of RELAY_LINK_SPEC");

        environment.put("RELAY_LINK_SPEC", "name: [");
        assertThatThrownBy(() -> AwsFunctions.fromEnvironment(environment)).isInstanceOf(SpecException.class);

        Files.writeString(dir.resolve("link.yaml"), exampleYaml());
        environment.remove("RELAY_LINK_SPEC");
        environment.put("RELAY_LINK_SPEC_FILE", "link.yaml");
        environment.put("LAMBDA_TASK_ROOT", dir.toString());
        assertThatThrownBy(() -> AwsFunctions.fromEnvironment(environment)).hasMessageContaining("RELAY_LINK_TABLE is not set");

        environment.put("RELAY_LINK_TABLE", "relay-link");
        assertThatThrownBy(() -> AwsFunctions.fromEnvironment(environment)).hasMessageContaining("RELAY_LINK_FUNCTION_TIMEOUT is not set");
        environment.put("RELAY_LINK_FUNCTION_TIMEOUT", "1m");
        assertThatThrownBy(() -> AwsFunctions.fromEnvironment(environment)).hasMessageContaining("timeout in seconds, not '1m'");
        environment.put("RELAY_LINK_FUNCTION_TIMEOUT", "60");

        environment.put("AWS_REGION", "us-east-2");
        assertThatThrownBy(() -> AwsFunctions.fromEnvironment(environment)).hasMessageContaining("runs in us-east-2 but the link spec is for eu-west-1");
    }

    /**
     * A handler's init (its no-argument constructor in Lambda) builds the clients of what it handles
     * and no other: building the EC2 client alone takes a few hundred milliseconds on a C1-only JVM.
     * Building clients makes no call, so this needs no emulator.
     */
    @Test
    void eachHandlerBuildsOnlyTheClientsItUses() throws IOException {
        record Uses(Function<AwsFunctions, RequestStreamHandler> handler, Set<Service> services, boolean eks) {
        }
        Map<String, Uses> handlers = Map.of(
                "EndpointConnectionHandler", new Uses(EndpointConnectionHandler::new, EnumSet.of(Service.EC2, Service.DYNAMODB), false),
                "EndpointServiceDriftHandler", new Uses(EndpointServiceDriftHandler::new, EnumSet.of(Service.EC2, Service.DYNAMODB), false),
                "LoadBalancerDriftHandler", new Uses(LoadBalancerDriftHandler::new, EnumSet.of(Service.EC2, Service.ELB, Service.DYNAMODB), true),
                "ServerCertificateRotationHandler", new Uses(ServerCertificateRotationHandler::new,
                        EnumSet.of(Service.SECRETS_MANAGER, Service.KMS, Service.DYNAMODB), true),
                "ReconcileHandler", new Uses(ReconcileHandler::new, EnumSet.allOf(Service.class), true),
                "ClusterChangeHandler", new Uses(dev.relaylink.aws.handler.ClusterChangeHandler::new,
                        EnumSet.of(Service.EC2, Service.ELB, Service.SECRETS_MANAGER, Service.DYNAMODB), true));
        String caPem = Pem.write(new TestPki(Instant.now()).serverCa.certificate());
        Map<String, String> environment = new HashMap<>(Map.of("AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:1",
                "RELAY_LINK_SPEC", exampleYaml(), "RELAY_LINK_TABLE", "relay-link", "RELAY_LINK_FUNCTION_TIMEOUT", "60",
                "EKS_CLUSTER_ENDPOINT", "https://127.0.0.1:1",
                "EKS_CLUSTER_CA", Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8))));

        handlers.forEach((name, uses) -> {
            AwsFunctions link = AwsFunctions.fromEnvironment(environment);
            assertThat(link.aws().built()).as("a container before its handler is built").containsExactly(Service.DYNAMODB);
            uses.handler().apply(link);
            assertThat(link.aws().built()).as(name + " builds").isEqualTo(uses.services());
            assertThat(link.eksClientBuilt()).as(name + " builds the EKS client").isEqualTo(uses.eks());
        });
    }

    private static Map<String, String> environment(String table, String secret, String alias, MockCluster eks) throws IOException {
        String yaml = exampleYaml()
                .replace("eu-west-1", Emulator.region().id())
                .replace("serverCertSecretId: relay-link/server-tls", "serverCertSecretId: " + secret)
                .replace("serverCaKeyId: alias/relay-link-server-ca", "serverCaKeyId: " + alias);
        String caPem = Files.readString(Path.of(eks.server.getSelfSignedCertificate().certificatePath()));
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("RELAY_LINK_SPEC", yaml);
        environment.put("RELAY_LINK_TABLE", table);
        environment.put("RELAY_LINK_FUNCTION_TIMEOUT", "120");
        environment.put("EKS_CLUSTER_ENDPOINT", "https://localhost:" + eks.server.getPort());
        environment.put("EKS_CLUSTER_CA", Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)));
        environment.put("RELAY_GATEWAY_ADDRESS", "127.0.0.1:1");
        return environment;
    }

    private static String exampleYaml() throws IOException {
        try (InputStream in = AwsFunctionsEnvironmentTest.class.getClassLoader().getResourceAsStream("examples/link.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
