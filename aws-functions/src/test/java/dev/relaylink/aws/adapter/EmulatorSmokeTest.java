package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** The AWS SDK v2 clients reach the endpoint named by AWS_ENDPOINT_URL, and nothing else: no endpoint lives in the code. */
class EmulatorSmokeTest {

    @Test
    void theSdkReachesTheAwsEmulatorThroughAwsEndpointUrl() {
        assumeTrue(System.getenv(AwsClients.ENDPOINT_VARIABLE) != null, "AWS_ENDPOINT_URL is not set: start the AWS emulator (scripts/test does)");
        AwsClients aws = AwsClients.fromEnvironment();
        String keyId = aws.kms().createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
        assertThat(aws.kms().describeKey(r -> r.keyId(keyId)).keyMetadata().keySpec()).isEqualTo(KeySpec.ECC_NIST_P256);
    }

    @Test
    void whateverAwsEndpointUrlNamesIsWhereTheCallsGo() throws Exception {
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") != null, "needs credentials in the environment (scripts/test sets dummy ones)");
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        recorder.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            byte[] body = "{\"Keys\":[],\"Truncated\":false}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        recorder.start();
        try {
            String endpoint = "http://127.0.0.1:" + recorder.getAddress().getPort();
            AwsClients aws = AwsClients.fromEnvironment(Map.of(AwsClients.REGION_VARIABLE, "eu-west-1", AwsClients.ENDPOINT_VARIABLE, endpoint));
            assertThat(aws.kms().listKeys().keys()).isEmpty();
            assertThat(seen).containsExactly("POST TrentService.ListKeys");
        } finally {
            recorder.stop(0);
        }
    }
}
