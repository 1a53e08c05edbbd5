package dev.relaylink.aws.handler;

import static dev.relaylink.aws.testing.AwsFunctionsWorld.event;
import static dev.relaylink.aws.testing.AwsFunctionsWorld.fresh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.aws.adapter.DynamoDbLinkLock;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import dev.relaylink.usecase.Reconciler;
import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.ChainValidator;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.port.ServerCertificateStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server certificate rotation against the AWS emulator's Secrets Manager and KMS, the mock EKS
 * API and a TLS gateway that serves the EKS secret: Secrets Manager's four steps, crashes and
 * retries, a failing test step, and the ACM and schedule triggers.
 */
class ServerCertificateRotationHandlerTest {
    private static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");

    private AwsFunctionsWorld world;
    private ServerCertificateRotationHandler handler;
    private ServerCertificateStore store;

    @BeforeEach
    void setUp() throws Exception {
        world = new AwsFunctionsWorld();
        handler = new ServerCertificateRotationHandler(world.link);
        store = world.link.ports().serverCertificates();
        HandlerResponse bootstrap = world.invoke(handler, fresh(event("scheduled-event.json")));
        assertThat(bootstrap.result()).as(bootstrap.toString()).isEqualTo("APPLIED");
        assertThat(bootstrap.actions()).extracting(HandlerResponse.Audited::action).containsSubsequence("CreateCa", "RotateServerCertificate");
        assertServedAndCurrent();
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void theFourStepsEndWithANewCurrentCertificateServedFromTheEksSecret() throws Exception {
        String before = store.currentToken().orElseThrow();
        String token = UUID.randomUUID().toString();

        StringBuilder everythingLogged = new StringBuilder();
        for (String step : STEPS) {
            HandlerResponse result = world.invoke(handler, step(step, token));
            assertThat(result.result()).as(step + ": " + result).isEqualTo(firstRun(step));
            assertThat(result.actions()).extracting(HandlerResponse.Audited::action).contains("ServerCertificateRotation." + step);
            everythingLogged.append(result).append('\n');
        }

        assertThat(store.currentToken()).contains(token).isNotEqualTo(before);
        assertServedAndCurrent();
        assertThat(world.metricLines()).anyMatch(l -> l.path("Rotations").asLong() == 1);
        // what Lambda logs (results, audit records, metrics) never carries the new private key
        world.audit.records().forEach(r -> everythingLogged.append(r).append('\n'));
        everythingLogged.append(world.metrics.toString(java.nio.charset.StandardCharsets.UTF_8));
        String keyPem = dev.relaylink.pki.Pem.write(store.current().orElseThrow().key());
        String keyBody = keyPem.lines().filter(l -> !l.startsWith("-----")).collect(java.util.stream.Collectors.joining());
        assertThat(everythingLogged.toString()).doesNotContain("PRIVATE KEY").doesNotContain(keyBody.substring(0, 40))
                .doesNotContain(keyBody.substring(keyBody.length() - 40));
    }

    /**
     * The scheduled reconcile runs between every two steps of a rotation. While the pending version is
     * not current it leaves the gateway's TLS secret (and the server certificate) to the rotation, so
     * it never writes the current certificate back under testSecret: the rotation completes.
     */
    @Test
    void aReconcileInterleavedWithEveryRotationStepLetsTheRotationComplete() throws Exception {
        ReconcileHandler reconcile = new ReconcileHandler(world.link);
        assertThat(world.invoke(reconcile, fresh(event("scheduled-event.json"))).result()).isIn("APPLIED", "NO_CHANGE");
        String token = UUID.randomUUID().toString();
        var relay = world.spec.relay();

        for (String step : STEPS) {
            assertThat(world.invoke(handler, step(step, token)).result()).as(step).isEqualTo(firstRun(step));
            String servedBefore = world.link.ports().eks().observe(relay.namespace(), relay.tlsSecret()).orElseThrow().certificateFingerprint();

            HandlerResponse between = world.invoke(reconcile, fresh(event("scheduled-event.json")));

            assertThat(between.result()).as("reconcile after " + step + ": " + between).isEqualTo("NO_CHANGE");
            assertThat(world.link.ports().eks().observe(relay.namespace(), relay.tlsSecret()).orElseThrow().certificateFingerprint())
                    .as("the gateway's TLS secret after a reconcile following " + step).isEqualTo(servedBefore);
        }

        assertThat(store.currentToken()).contains(token);
        assertServedAndCurrent();
    }

    @Test
    void aCrashAfterAnyStepFollowedByTheRetryEndsInTheSameState() throws Exception {
        for (int crashedAfter = 1; crashedAfter <= STEPS.size(); crashedAfter++) {
            String token = UUID.randomUUID().toString();
            for (String step : STEPS.subList(0, crashedAfter)) {
                world.invoke(handler, step(step, token)); // ... and the invocation dies before answering
            }
            // Secrets Manager calls the unanswered step again, then the rest.
            for (String step : STEPS.subList(crashedAfter - 1, STEPS.size())) {
                // the step that had run already changes nothing the second time: audited NO_CHANGE, not a second rotation
                String expected = step.equals(STEPS.get(crashedAfter - 1)) ? "NO_CHANGE" : firstRun(step);
                assertThat(world.invoke(handler, step(step, token)).result()).as("crash after %d, %s", crashedAfter, step).isEqualTo(expected);
            }

            assertThat(store.currentToken()).as("crash after step " + crashedAfter).contains(token);
            assertThat(world.aws.secretsManager().listSecretVersionIds(r -> r.secretId(world.spec.aws().serverCertSecretId())).versions())
                    .filteredOn(v -> v.versionId().equals(token)).hasSize(1);
            assertServedAndCurrent();
        }
        assertThat(world.metricLines().stream().mapToLong(l -> l.path("Rotations").asLong()).sum())
                .as("the bootstrap's rotation, then one per token however often a step ran").isEqualTo(1 + STEPS.size());
    }

    @Test
    void aRunThatDiedHoldingTheLinkLockIsRetriedOnceItsLeaseRunsOut() throws Exception {
        new DynamoDbLinkLock(world.aws.dynamoDb(), world.table, world.clock).tryAcquire(world.spec.name(), Reconciler.LEASE).orElseThrow();
        world.clock.advance(Reconciler.LEASE);
        String token = UUID.randomUUID().toString();

        for (String step : STEPS) {
            assertThat(world.invoke(handler, step(step, token)).result()).isEqualTo(firstRun(step));
        }

        assertThat(store.currentToken()).contains(token);
        assertServedAndCurrent();
    }

    @Test
    void aFailingTestStepLeavesTheCurrentCertificateAndTheGatewayOnIt() throws Exception {
        String before = store.currentToken().orElseThrow();
        String token = UUID.randomUUID().toString();
        world.gateway.stopReloading(); // the gateway never picks up the new secret
        world.invoke(handler, step("createSecret", token));
        world.invoke(handler, step("setSecret", token));

        assertThatThrownBy(() -> world.invoke(handler, step("testSecret", token)))
                .hasMessageContaining("does not serve the pending certificate");

        assertThat(store.currentToken()).contains(before);
        assertThat(store.pending(token)).isPresent();
        world.gateway.resumeReloading();
        assertServedAndCurrent();
        assertThat(world.audit.records()).last().satisfies(r -> assertThat(r.action()).isNotEqualTo("ServerCertificateRotation.testSecret"));
    }

    @Test
    void anExpiryWarningRotatesOnlyWhenTheCertificateIsDue() throws Exception {
        String first = store.currentToken().orElseThrow();

        HandlerResponse early = world.invoke(handler, fresh(event("acm-approaching-expiration.json")));
        assertThat(early.result()).isEqualTo("NO_CHANGE");
        assertThat(store.currentToken()).contains(first);

        world.clock.advance(Duration.ofDays(21)); // 30-day certificates are renewed in their last 10 days
        HandlerResponse due = world.invoke(handler, fresh(event("acm-approaching-expiration.json")));

        assertThat(due.result()).isEqualTo("APPLIED");
        assertThat(due.actions()).extracting(HandlerResponse.Audited::action).contains("RotateServerCertificate");
        assertThat(store.currentToken()).isPresent().isNotEqualTo(java.util.Optional.of(first));
        assertServedAndCurrent();
    }

    @Test
    void anExpiryWarningForAnotherCertificateIsRefused() {
        ObjectNode event = fresh(event("acm-approaching-expiration.json"));
        ((ObjectNode) event.get("detail")).put("CommonName", "shop.example.com");
        world.calls.clear();

        HandlerResponse result = world.invoke(handler, event);

        assertThat(result.result()).isEqualTo("REJECTED");
        assertThat(result.reason()).contains("shop.example.com");
        assertThat(world.calls.calls()).isEmpty();
    }

    @Test
    void aRotationStepForAnotherSecretOrAnUnknownStepIsRefused() {
        String token = UUID.randomUUID().toString();
        ObjectNode other = step("createSecret", token);
        other.put("SecretId", "arn:aws:secretsmanager:" + world.spec.aws().region() + ":" + AwsFunctionsWorld.ACCOUNT + ":secret:payments/db-AbCdEf");
        ObjectNode unknown = step("rotateEverything", token);
        world.calls.clear();

        HandlerResponse otherResult = world.invoke(handler, other);
        HandlerResponse unknownResult = world.invoke(handler, unknown);

        assertThat(otherResult.result()).isEqualTo("REJECTED");
        assertThat(otherResult.reason()).contains("payments/db");
        assertThat(unknownResult.result()).isEqualTo("REJECTED");
        assertThat(unknownResult.reason()).contains("rotateEverything");
        assertThat(world.calls.calls()).isEmpty();
        assertThat(store.pending(token)).isEmpty();
    }

    /** What a step's first run reports: testSecret only checks, so it changes nothing; the others change something. */
    static String firstRun(String step) {
        return step.equals("testSecret") ? "NO_CHANGE" : "APPLIED";
    }

    /** Secrets Manager's rotation event for this world's secret, by ARN as Secrets Manager sends it. */
    private ObjectNode step(String step, String token) {
        ObjectNode event = event("secretsmanager-rotation-createSecret.json");
        event.put("Step", step);
        event.put("ClientRequestToken", token);
        event.put("SecretId", "arn:aws:secretsmanager:" + world.spec.aws().region() + ":" + AwsFunctionsWorld.ACCOUNT + ":secret:"
                + world.spec.aws().serverCertSecretId() + "-AbCdEf");
        return event;
    }

    /** AWSCURRENT validates against the server CA, sits in the EKS TLS secret, and is what the gateway serves. */
    private void assertServedAndCurrent() throws Exception {
        Credential current = store.current().orElseThrow();
        ChainValidator.validate(current.chain(), TrustBundle.of(world.link.ports().serverCaCertificates().certificates()), world.clock.instant());
        String fingerprint = Certificates.fingerprint(current.leaf());
        var relay = world.spec.relay();
        assertThat(world.link.ports().eks().observe(relay.namespace(), relay.tlsSecret()).orElseThrow().certificateFingerprint())
                .isEqualTo(fingerprint);
        assertThat(Certificates.fingerprint(world.gateway.servedChain(relay.hostName()).get(0))).isEqualTo(fingerprint);
    }
}
