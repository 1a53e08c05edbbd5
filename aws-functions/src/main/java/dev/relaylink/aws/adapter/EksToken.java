package dev.relaylink.aws.adapter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.PartitionMetadata;

/**
 * The bearer token EKS accepts from an IAM identity, as {@code aws eks get-token} makes it: a
 * presigned STS {@code GetCallerIdentity} URL whose signature covers the {@code x-k8s-aws-id: <cluster>}
 * header, base64url-encoded without padding behind {@code k8s-aws-v1.}. The cluster's authenticator
 * replays the URL to STS to learn who is calling. The URL says {@code X-Amz-Expires=60}, as
 * {@code aws eks get-token} does; a token is signed locally (no network call) and handed out again
 * only while more than {@link #REFRESH_BEFORE} of those 60 seconds are left, the strictest reading
 * of its lifetime (the authenticator itself accepts it for 15 minutes).
 */
public final class EksToken {
    public static final String PREFIX = "k8s-aws-v1.";
    public static final String CLUSTER_HEADER = "x-k8s-aws-id";
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** A token handed out has at least this long left, so a request in flight does not carry an expired one. */
    public static final Duration REFRESH_BEFORE = Duration.ofSeconds(15);

    /** Regions of the aws, aws-us-gov and aws-cn partitions, e.g. eu-west-1, us-gov-west-1, cn-north-1. */
    private static final Pattern COMMON_PARTITION_REGION = Pattern.compile("(af|ap|ca|cn|eu|il|me|mx|sa|us)-(gov-)?[a-z]+-[0-9]+");

    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final String clusterName;
    private final Clock clock;
    private final String stsHost;
    private String token;
    private Instant expiresAt = Instant.MIN;

    public EksToken(AwsCredentialsProvider credentials, Region region, String clusterName, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.clusterName = clusterName;
        this.clock = clock;
        // The regional STS endpoint: EKS checks the host, so it must be STS's own.
        this.stsHost = stsHost(region);
    }

    /**
     * {@code sts.<region>.<partition DNS suffix>}, the host the SDK's service metadata names for STS
     * in every region (EksTokenTest checks them all). The commercial, GovCloud and China partitions'
     * suffixes are written here: the SDK's metadata loader builds the metadata of every AWS service
     * first, tens of milliseconds of a cold start. Other partitions ask it.
     */
    public static String stsHost(Region region) {
        String id = region.id();
        if (COMMON_PARTITION_REGION.matcher(id).matches()) {
            return "sts." + id + (id.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
        }
        return "sts." + id + "." + PartitionMetadata.of(region).dnsSuffix();
    }

    public synchronized String getToken() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(expiresAt.minus(REFRESH_BEFORE))) {
            token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(presignedUrl(now).getBytes(StandardCharsets.UTF_8));
            expiresAt = now.plus(LIFETIME);
        }
        return token;
    }

    private String presignedUrl(Instant now) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("https")
                .host(stsHost)
                .encodedPath("/")
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader(CLUSTER_HEADER, clusterName)
                .build();
        return AwsV4HttpSigner.create().sign(r -> r
                        .identity(credentials.resolveCredentials())
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, LIFETIME)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, java.time.ZoneOffset.UTC)))
                .request().getUri().toString();
    }
}
