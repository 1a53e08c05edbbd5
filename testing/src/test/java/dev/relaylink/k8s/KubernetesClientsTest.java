package dev.relaylink.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import dev.relaylink.testing.MockCluster;
import dev.relaylink.testing.TestPki;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import dev.relaylink.testing.MutableClock;
import org.junit.jupiter.api.Test;

class KubernetesClientsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static String jwt(Instant expiry) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"aud\":\"6dae42f8-4368-4678-94ff-3960e28e3630\",\"exp\":" + expiry.getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    private static String eksToken(Instant signedAt) {
        String url = "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"
                + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date="
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(signedAt)
                + "&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=abc";
        return "k8s-aws-v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
    }

    /** Counts fetches and hands out tokens made by {@code make} from the clock's time. */
    private static Supplier<String> counting(AtomicInteger fetches, MutableClock clock, java.util.function.Function<Instant, String> make) {
        return () -> {
            fetches.incrementAndGet();
            return make.apply(clock.instant());
        };
    }

    @Test
    void expiryIsReadFromJwtsAndEksTokens() {
        assertThat(RefreshingBearerToken.expiry(jwt(NOW.plusSeconds(3600)))).contains(NOW.plusSeconds(3600));
        assertThat(RefreshingBearerToken.expiry(eksToken(NOW))).contains(NOW.plus(Duration.ofMinutes(15)));
        assertThat(RefreshingBearerToken.expiry("opaque-token")).isEmpty();
        assertThat(RefreshingBearerToken.expiry("a.b.c")).isEmpty();
    }

    @Test
    void anEntraIdTokenIsFetchedAgainTwoMinutesBeforeItExpires() {
        MutableClock clock = new MutableClock(NOW);
        AtomicInteger fetches = new AtomicInteger();
        RefreshingBearerToken token = new RefreshingBearerToken(counting(fetches, clock, t -> jwt(t.plus(Duration.ofHours(1)))), clock);

        String first = token.get();
        clock.set(NOW.plus(Duration.ofMinutes(57)).plusSeconds(59));
        assertThat(token.get()).isEqualTo(first);
        assertThat(fetches).hasValue(1);

        clock.set(NOW.plus(Duration.ofMinutes(58)));
        assertThat(token.get()).isNotEqualTo(first);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void anEksTokenLivesFifteenMinutesFromItsSigningAndAnOpaqueOneTen() {
        MutableClock clock = new MutableClock(NOW);
        AtomicInteger eksFetches = new AtomicInteger();
        RefreshingBearerToken eks = new RefreshingBearerToken(counting(eksFetches, clock, KubernetesClientsTest::eksToken), clock);
        AtomicInteger opaqueFetches = new AtomicInteger();
        RefreshingBearerToken opaque = new RefreshingBearerToken(counting(opaqueFetches, clock, t -> "opaque-" + t), clock);

        eks.get();
        opaque.get();
        clock.set(NOW.plus(Duration.ofMinutes(7)));
        eks.get();
        opaque.get();
        assertThat(eksFetches).hasValue(1);
        assertThat(opaqueFetches).hasValue(1);

        clock.set(NOW.plus(Duration.ofMinutes(8)));
        opaque.get();
        assertThat(opaqueFetches).hasValue(2);
        clock.set(NOW.plus(Duration.ofMinutes(13)));
        eks.get();
        assertThat(eksFetches).hasValue(2);
    }

    @Test
    void aShortLivedTokenIsRefreshedAtHalfItsLifeNotOnEveryCall() {
        MutableClock clock = new MutableClock(NOW);
        AtomicInteger fetches = new AtomicInteger();
        RefreshingBearerToken token = new RefreshingBearerToken(counting(fetches, clock, t -> jwt(t.plus(Duration.ofMinutes(2)))), clock);

        token.get();
        clock.set(NOW.plusSeconds(59));
        token.get();
        assertThat(fetches).hasValue(1);
        clock.set(NOW.plusSeconds(60));
        token.get();
        assertThat(fetches).hasValue(2);
    }

    @Test
    void theClientPinsTheClusterCaAndSendsTheBearerToken() throws Exception {
        try (MockCluster cluster = new MockCluster(true)) {
            String caPem = Files.readString(Path.of(cluster.server.getSelfSignedCertificate().certificatePath()));
            String masterUrl = "https://localhost:" + cluster.server.getPort();
            String token = jwt(Instant.now().plus(Duration.ofHours(1)));

            try (KubernetesClient client = KubernetesClients.create(masterUrl, () -> token, caPem)) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("relay").endMetadata().build()).create();
                assertThat(client.namespaces().withName("relay").get()).isNotNull();
                assertThat(cluster.lastRequest().getHeader("Authorization")).isEqualTo("Bearer " + token);
                assertThat(client.getHttpClient().getClass().getName()).contains("jdkhttp");
            }

            String otherCa = Pem.write(new TestPki(NOW).serverCa.certificate());
            try (KubernetesClient untrusting = KubernetesClients.create(masterUrl, () -> token, otherCa)) {
                assertThatThrownBy(() -> untrusting.namespaces().withName("relay").get()).isInstanceOf(KubernetesClientException.class);
            }
        }
        assertThatThrownBy(() -> KubernetesClients.create("https://localhost:1", () -> "t", "not a certificate"))
                .isInstanceOf(PkiException.class).hasMessageContaining("malformed PEM");
    }
}
