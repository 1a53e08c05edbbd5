package dev.relaylink.aws.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.testing.MutableClock;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * The EKS bearer token: its format, and a signature checked here with SigV4 written out from the
 * specification (not with the SDK that made it), so the cluster header is proven to be signed.
 */
class EksTokenTest {
    private static final String ACCESS_KEY = "AKIDEXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final EksToken tokens = new EksToken(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
            Region.EU_WEST_1, "relay-eks", clock);

    @Test
    void isAPrefixedUnpaddedBase64UrlOfAPresignedStsUrl() {
        String token = tokens.getToken();

        assertThat(token).startsWith("k8s-aws-v1.");
        assertThat(token.substring("k8s-aws-v1.".length())).matches("[A-Za-z0-9_-]+");
        URI url = decode(token);
        assertThat(url.getScheme()).isEqualTo("https");
        assertThat(url.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");
        Map<String, String> query = query(url);
        assertThat(query).containsEntry("Action", "GetCallerIdentity").containsEntry("Version", "2011-06-15")
                .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
                .containsEntry("X-Amz-Expires", "60")
                .containsEntry("X-Amz-Date", "20261124T100000Z")
                .containsEntry("X-Amz-Credential", ACCESS_KEY + "/20261124/eu-west-1/sts/aws4_request");
        assertThat(query.get("X-Amz-SignedHeaders").split(";")).containsExactly("host", "x-k8s-aws-id");
    }

    /** For every region the SDK knows, the host is the STS endpoint its service metadata names. */
    @Test
    void theStsHostIsStsOwnRegionalEndpointInEveryRegion() {
        for (Region region : Region.regions()) {
            if (region.isGlobalRegion()) {
                continue; // aws-global and its kin are signing pseudo-regions, not where a Lambda function runs
            }
            assertThat(EksToken.stsHost(region)).as(region.id()).isEqualTo(ServiceMetadata.of("sts").endpointFor(region).toString());
        }
        assertThat(EksToken.stsHost(Region.CN_NORTH_1)).isEqualTo("sts.cn-north-1.amazonaws.com.cn");
        assertThat(EksToken.stsHost(Region.US_GOV_WEST_1)).isEqualTo("sts.us-gov-west-1.amazonaws.com");
        assertThat(EksToken.stsHost(Region.of("us-iso-east-1"))).isEqualTo("sts.us-iso-east-1.c2s.ic.gov");
    }

    @Test
    void theSignatureCoversTheClusterHeader() throws Exception {
        URI url = decode(tokens.getToken());

        assertThat(query(url).get("X-Amz-Signature")).isEqualTo(expectedSignature(url, "relay-eks"));
        assertThat(query(url).get("X-Amz-Signature")).isNotEqualTo(expectedSignature(url, "another-cluster"));
    }

    @Test
    void carriesTheSessionTokenOfTemporaryCredentials() {
        EksToken withSession = new EksToken(StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, "session/token+1")),
                Region.EU_WEST_1, "relay-eks", clock);

        assertThat(query(decode(withSession.getToken()))).containsEntry("X-Amz-Security-Token", "session/token+1");
    }

    @Test
    void isReusedWhileFreshAndRefreshedBeforeItExpires() {
        String first = tokens.getToken();

        clock.advance(EksToken.LIFETIME.minus(EksToken.REFRESH_BEFORE).minusSeconds(1));
        assertThat(tokens.getToken()).isSameAs(first);

        clock.advance(Duration.ofSeconds(1));
        String second = tokens.getToken();
        assertThat(second).isNotEqualTo(first);
        assertThat(query(decode(second))).containsEntry("X-Amz-Date", "20261124T100045Z");

        clock.advance(Duration.ofHours(1));
        assertThat(query(decode(tokens.getToken()))).containsEntry("X-Amz-Date", "20261124T110045Z");
    }

    /** SigV4 query-string signing (AWS General Reference, "Create a signed AWS API request"), written out independently. */
    private static String expectedSignature(URI url, String cluster) throws Exception {
        Map<String, String> query = new TreeMap<>(query(url));
        query.remove("X-Amz-Signature");
        String canonicalQuery = query.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String canonicalRequest = String.join("\n", "GET", "/", canonicalQuery,
                "host:" + url.getHost() + "\n" + "x-k8s-aws-id:" + cluster + "\n", "host;x-k8s-aws-id", sha256Hex(""));
        String amzDate = query.get("X-Amz-Date");
        String day = amzDate.substring(0, 8);
        String scope = day + "/eu-west-1/sts/aws4_request";
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest));
        byte[] key = hmac(("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, "eu-west-1");
        key = hmac(key, "sts");
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    private static URI decode(String token) {
        return URI.create(new String(Base64.getUrlDecoder().decode(token.substring(EksToken.PREFIX.length())), StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> query = new TreeMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
