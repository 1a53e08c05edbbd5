package dev.relaylink.aws.adapter;

import dev.relaylink.wiring.Lazy;
import dev.relaylink.failure.ConfigurationFailure;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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
 * The AWS SDK v2 clients of one Lambda container over a single URLConnection HTTP client, each
 * built once, on first use: a handler builds the ones it uses in its init ({@link #prepare}), so a
 * warm invocation reuses them and a cold start pays only for those (building a client loads its
 * whole service model: a few hundred milliseconds on a C1-only JVM). Region comes from
 * {@code AWS_REGION}; a service's endpoint from {@code AWS_ENDPOINT_URL_<SERVICE>} or else
 * {@code AWS_ENDPOINT_URL} when set (the SDKs' own names for them: the AWS emulator in tests,
 * LocalStack for anyone who has it), otherwise the SDK's regional endpoint.
 */
public final class AwsClients {
    public static final String REGION_VARIABLE = "AWS_REGION";
    public static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";

    /** The services relay-link calls, each with the SDKs' name for its own endpoint variable. */
    public enum Service {
        EC2("EC2"), ELB("ELASTIC_LOAD_BALANCING_V2"), SECRETS_MANAGER("SECRETS_MANAGER"), KMS("KMS"), DYNAMODB("DYNAMODB");

        private final String endpointVariable;

        Service(String id) {
            this.endpointVariable = ENDPOINT_VARIABLE + "_" + id;
        }

        public String endpointVariable() {
            return endpointVariable;
        }
    }

    // Lambda gives a function seconds, not minutes: fail a hung call fast and let the platform retry the event.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Lazy<Ec2Client> ec2;
    private final Lazy<ElasticLoadBalancingV2Client> elb;
    private final Lazy<SecretsManagerClient> secretsManager;
    private final Lazy<KmsClient> kms;
    private final Lazy<DynamoDbClient> dynamoDb;

    private AwsClients(Region region, AwsCredentialsProvider credentials, Lazy<Ec2Client> ec2, Lazy<ElasticLoadBalancingV2Client> elb,
                       Lazy<SecretsManagerClient> secretsManager, Lazy<KmsClient> kms, Lazy<DynamoDbClient> dynamoDb) {
        this.region = region;
        this.credentials = credentials;
        this.ec2 = ec2;
        this.elb = elb;
        this.secretsManager = secretsManager;
        this.kms = kms;
        this.dynamoDb = dynamoDb;
    }

    public static AwsClients fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static AwsClients fromEnvironment(Map<String, String> environment) {
        String region = environment.get(REGION_VARIABLE);
        if (region == null || region.isBlank()) {
            throw new ConfigurationFailure(REGION_VARIABLE + " is not set: relay-link needs the region of the link");
        }
        Optional<URI> shared = uri(environment.get(ENDPOINT_VARIABLE));
        return create(Region.of(region.trim()), service -> uri(environment.get(service.endpointVariable())).or(() -> shared), List.of());
    }

    private static Optional<URI> uri(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(URI.create(value.trim()));
    }

    public static AwsClients create(Region region, Optional<URI> endpoint) {
        return create(region, endpoint, List.of());
    }

    /** @param interceptors see every call (tests count them to prove a refused event made none) */
    public static AwsClients create(Region region, Optional<URI> endpoint, List<ExecutionInterceptor> interceptors) {
        return create(region, service -> endpoint, interceptors);
    }

    private static AwsClients create(Region region, Function<Service, Optional<URI>> endpoints, List<ExecutionInterceptor> interceptors) {
        Lazy<SdkHttpClient> http = Lazy.of(() -> UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build());
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        Lazy<ClientOverrideConfiguration> override = Lazy.of(() -> ClientOverrideConfiguration.builder().apiCallTimeout(API_CALL_TIMEOUT)
                .executionInterceptors(interceptors).build());
        return new AwsClients(region, credentials,
                Lazy.of(() -> configure(Ec2Client.builder(), region, endpoints.apply(Service.EC2), credentials, override.get()).httpClient(http.get()).build()),
                Lazy.of(() -> configure(ElasticLoadBalancingV2Client.builder(), region, endpoints.apply(Service.ELB), credentials, override.get())
                        .httpClient(http.get()).build()),
                Lazy.of(() -> configure(SecretsManagerClient.builder(), region, endpoints.apply(Service.SECRETS_MANAGER), credentials, override.get())
                        .httpClient(http.get()).build()),
                Lazy.of(() -> configure(KmsClient.builder(), region, endpoints.apply(Service.KMS), credentials, override.get()).httpClient(http.get()).build()),
                Lazy.of(() -> configure(DynamoDbClient.builder(), region, endpoints.apply(Service.DYNAMODB), credentials, override.get()).httpClient(http.get()).build()));
    }

    /** The same clients with EC2 replaced (tests point EC2 at a stub for the calls the emulator lacks). */
    public AwsClients withEc2(Ec2Client replacement) {
        return new AwsClients(region, credentials, Lazy.built(replacement), elb, secretsManager, kms, dynamoDb);
    }

    public Region region() {
        return region;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public Ec2Client ec2() {
        return ec2.get();
    }

    public ElasticLoadBalancingV2Client elb() {
        return elb.get();
    }

    public SecretsManagerClient secretsManager() {
        return secretsManager.get();
    }

    public KmsClient kms() {
        return kms.get();
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    /** Builds the clients of these services now (a handler's init), so its first event does not pay for them. */
    public AwsClients prepare(Set<Service> services) {
        services.forEach(service -> lazy(service).get());
        return this;
    }

    /** The services whose client this container has built so far. */
    public Set<Service> built() {
        Set<Service> built = EnumSet.noneOf(Service.class);
        for (Service service : Service.values()) {
            if (lazy(service).isBuilt()) {
                built.add(service);
            }
        }
        return built;
    }

    private Lazy<?> lazy(Service service) {
        return switch (service) {
            case EC2 -> ec2;
            case ELB -> elb;
            case SECRETS_MANAGER -> secretsManager;
            case KMS -> kms;
            case DYNAMODB -> dynamoDb;
        };
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, Region region, Optional<URI> endpoint,
                                                                  AwsCredentialsProvider credentials,
                                                                  ClientOverrideConfiguration override) {
        builder.region(region).credentialsProvider(credentials).overrideConfiguration(override);
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }
}
