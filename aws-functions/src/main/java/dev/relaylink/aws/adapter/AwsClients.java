package dev.relaylink.aws.adapter;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The AWS SDK v2 clients of one Lambda container, built once (in static init, so a warm invocation
 * reuses them) over a single URLConnection HTTP client. Region comes from {@code AWS_REGION}; the
 * endpoint from {@code AWS_ENDPOINT_URL} when it is set (the AWS emulator in tests, LocalStack for
 * anyone who has it), otherwise the SDK's regional endpoint.
 */
public record AwsClients(Region region, AwsCredentialsProvider credentials, Ec2Client ec2, ElasticLoadBalancingV2Client elb,
                         SecretsManagerClient secretsManager, KmsClient kms, DynamoDbClient dynamoDb) {

    public static final String REGION_VARIABLE = "AWS_REGION";
    public static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";

    // Lambda gives a function seconds, not minutes: fail a hung call fast and let the platform retry the event.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);

    public static AwsClients fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static AwsClients fromEnvironment(Map<String, String> environment) {
        String region = environment.get(REGION_VARIABLE);
        if (region == null || region.isBlank()) {
            throw new IllegalStateException(REGION_VARIABLE + " is not set: relay-link needs the region of the link");
        }
        String endpoint = environment.get(ENDPOINT_VARIABLE);
        return create(Region.of(region.trim()),
                endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint.trim())));
    }

    public static AwsClients create(Region region, Optional<URI> endpoint) {
        return create(region, endpoint, List.of());
    }

    /** @param interceptors see every call (tests count them to prove a refused event made none) */
    public static AwsClients create(Region region, Optional<URI> endpoint, List<ExecutionInterceptor> interceptors) {
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        ClientOverrideConfiguration override = ClientOverrideConfiguration.builder().apiCallTimeout(API_CALL_TIMEOUT)
                .executionInterceptors(interceptors).build();
        return new AwsClients(region, credentials,
                configure(Ec2Client.builder(), region, endpoint, credentials, override).httpClient(http).build(),
                configure(ElasticLoadBalancingV2Client.builder(), region, endpoint, credentials, override).httpClient(http).build(),
                configure(SecretsManagerClient.builder(), region, endpoint, credentials, override).httpClient(http).build(),
                configure(KmsClient.builder(), region, endpoint, credentials, override).httpClient(http).build(),
                configure(DynamoDbClient.builder(), region, endpoint, credentials, override).httpClient(http).build());
    }

    /** The same clients with EC2 replaced (tests point EC2 at a stub for the calls the emulator lacks). */
    public AwsClients withEc2(Ec2Client replacement) {
        return new AwsClients(region, credentials, replacement, elb, secretsManager, kms, dynamoDb);
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, Region region, Optional<URI> endpoint,
                                                                  AwsCredentialsProvider credentials,
                                                                  ClientOverrideConfiguration override) {
        builder.region(region).credentialsProvider(credentials).overrideConfiguration(override);
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }
}
