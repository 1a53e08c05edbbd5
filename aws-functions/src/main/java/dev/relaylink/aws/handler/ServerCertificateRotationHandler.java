package dev.relaylink.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.AuditRecord;
import dev.relaylink.audit.AuditRecord.Outcome;
import dev.relaylink.aws.AwsFunctions;
import dev.relaylink.event.EventOrigin;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.usecase.ServerCertificateRotation;
import dev.relaylink.plan.Concern;
import dev.relaylink.spec.LinkSpec;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rotates the relay server certificate. Three triggers:
 * <ul>
 *   <li>Secrets Manager's rotation ({@code {"Step", "SecretId", "ClientRequestToken"}}): runs that one
 *       step of the four-step protocol for the token; every step is idempotent for its token;</li>
 *   <li>ACM's "Certificate Approaching Expiration" for the relay host name, and</li>
 *   <li>the daily schedule: both reconcile the server certificate and the gateway's secrets, which
 *       rotates (all four steps) when the certificate is due, and report days to expiry.</li>
 * </ul>
 */
public final class ServerCertificateRotationHandler extends LinkHandler {
    static final Set<Concern> CONCERNS = EnumSet.of(Concern.SERVER_CERTIFICATE, Concern.EKS_SECRETS);
    static final String ACM_EXPIRY = "ACM Certificate Approaching Expiration";
    static final String STEP_ACTION = "ServerCertificateRotation.";
    static final String FINISH_STEP_ACTION = STEP_ACTION + "finishSecret";
    private static final Map<String, BiFunction<ServerCertificateRotation, String, Boolean>> STEPS = Map.of(
            "createSecret", ServerCertificateRotation::createSecret,
            "setSecret", ServerCertificateRotation::setSecret,
            "testSecret", ServerCertificateRotation::testSecret,
            "finishSecret", ServerCertificateRotation::finishSecret);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9-]{32,64}");
    private static final Pattern SECRET_ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\\d{12}):secret:(.+)-[A-Za-z0-9]{6}");

    public ServerCertificateRotationHandler() {
        super(CONCERNS);
    }

    public ServerCertificateRotationHandler(AwsFunctions link) {
        super(link, CONCERNS);
    }

    @Override
    Decision decide(AwsFunctions link, JsonNode event, Context context) throws RefusedEvent {
        if (event.has("Step") || event.has("ClientRequestToken")) {
            return rotationStep(link, event, context);
        }
        EventBridgeEnvelope envelope = EventBridgeEnvelope.check(event, link.spec(), Map.of(
                "aws.acm", Set.of(ACM_EXPIRY),
                "aws.events", Set.of(EventBridgeEnvelope.SCHEDULED)));
        if (envelope.source().equals("aws.acm")) {
            String commonName = envelope.detail().path("CommonName").asText("");
            if (!commonName.equals(link.spec().relay().hostName())) {
                throw new RefusedEvent(envelope.id(), "the expiring certificate is for '" + commonName + "', not the relay host "
                        + link.spec().relay().hostName());
            }
        }
        return Decision.reconcileAndReport(envelope.id(), CONCERNS);
    }

    private static Decision rotationStep(AwsFunctions link, JsonNode event, Context context) throws RefusedEvent {
        String token = event.path("ClientRequestToken").asText("");
        // Secrets Manager calls again after a failed step; each call is its own run, the step itself is idempotent.
        String eventId = "secretsmanager:" + (TOKEN.matcher(token).matches() ? token : LinkHandler.UNKNOWN_ID) + ":" + requestId(context);
        if (!TOKEN.matcher(token).matches()) {
            throw new RefusedEvent(eventId, "ClientRequestToken must be 32 to 64 letters, digits or dashes");
        }
        String step = event.path("Step").asText("");
        BiFunction<ServerCertificateRotation, String, Boolean> action = STEPS.get(step);
        if (action == null) {
            throw new RefusedEvent(eventId, "Step '" + step + "' is not one of " + STEPS.keySet());
        }
        checkSecret(event.path("SecretId").asText(""), link.spec(), eventId);
        String what = STEP_ACTION + step;
        // A step that found its work done (a retry, or testSecret's check) changed nothing: the reconciler audits it NO_CHANGE.
        return Decision.step(eventId, l -> l.reconciler().once(eventId, what, () -> {
            boolean changed = action.apply(l.serverRotation(), token);
            if (changed) {
                l.audit().record(new AuditRecord(l.clock().instant(), eventId, what, l.spec().aws().serverCertSecretId(), Outcome.APPLIED,
                        "Secrets Manager rotation step " + step + " for token " + token,
                        FINISH_STEP_ACTION.equals(what) ? dev.relaylink.plan.Reason.ROTATION_FINISHED : dev.relaylink.plan.Reason.ROTATION_STEP));
            }
            return changed;
        }));
    }

    /** The secret must be the link's server certificate secret, by name or by ARN (name plus Secrets Manager's 6-character suffix). */
    private static void checkSecret(String secretId, LinkSpec spec, String eventId) throws RefusedEvent {
        String wanted = spec.aws().serverCertSecretId();
        Matcher arn = SECRET_ARN.matcher(secretId);
        if (arn.matches()) {
            EventOrigin.requireAws(eventId, arn.group(2), arn.group(1), spec);
            if (arn.group(3).equals(wanted)) {
                return;
            }
        } else if (secretId.equals(wanted)) {
            return;
        }
        throw new RefusedEvent(eventId, "secret '" + secretId + "' is not the link's server certificate secret " + wanted);
    }
}
