package dev.relaylink.local;

import dev.relaylink.audit.JsonLines;
import dev.relaylink.azure.adapter.AwsTrustExchange;
import dev.relaylink.azure.function.AzureFunctions;
import dev.relaylink.cli.LinkConnection;
import dev.relaylink.cli.Options;
import dev.relaylink.cli.Requester;
import dev.relaylink.cli.SqsDeadLetters;
import dev.relaylink.k8s.KubernetesClusterSecrets;
import dev.relaylink.usecase.ClientCertificateRotation;
import dev.relaylink.wiring.AzureSide;
import dev.relaylink.usecase.WorkloadRevocation;
import dev.relaylink.operate.LinkSide;
import dev.relaylink.plan.Concern;
import dev.relaylink.spec.LinkSpec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operator's command on the local clouds, wired as {@code relay-link} wires the real ones: the
 * AWS side as the functions' {@code AwsFunctions} builds it, the Azure side's ports from its settings,
 * with the AWS copies of the trust material read with the operator's own (here: the emulator's)
 * AWS clients, not the functions' federation. Revocations audit into the Azure side's log.
 */
final class LocalConnection implements LinkConnection {
    private final LocalClouds clouds;
    private final AzureSide azurePorts;

    LocalConnection(LocalClouds clouds) {
        this.clouds = clouds;
        this.azurePorts = AzureFunctions.side(clouds.azureSettings, clouds.azureClients, () -> new KubernetesClusterSecrets(clouds.aks.client),
                () -> new dev.relaylink.k8s.KubernetesNetworkPolicies(clouds.aks.client),
                () -> new AwsTrustExchange(clouds.aws.secretsManager(), clouds.awsSettings.clientCaSecretId(), clouds.awsSettings.serverCaSecretId()),
                clouds.clock);
    }

    @Override
    public LinkSpec spec() {
        return clouds.spec;
    }

    @Override
    public List<LinkSide> sides(Options.Side side) {
        List<LinkSide> sides = new ArrayList<>();
        if (side.aws()) {
            sides.add(LinkSide.aws(clouds.awsLink.ports(), clouds.awsLink.handledEvents(), new SqsDeadLetters(clouds.sqs, clouds.spec.name())));
        }
        if (side.azure()) {
            sides.add(LinkSide.azure(azurePorts, AzureFunctions.handledEvents(clouds.azureSettings, clouds.azureClients), SqsDeadLetters.eventGrid()));
        }
        return sides;
    }

    @Override
    public WorkloadRevocation revocation() {
        ClientCertificateRotation rotation = azurePorts.clientRotation();
        // Here the command can run both sides' reconciles, as their schedules would: Azure publishes the CRL, AWS copies it.
        WorkloadRevocation.CrlDelivery delivery = new WorkloadRevocation.CrlDelivery() {
            @Override
            public Optional<String> deliver(String requestId) {
                clouds.azureLink.reconciler().handle(requestId + ":azure", Concern.AZURE);
                clouds.awsLink.reconciler().handle(requestId + ":aws", Concern.AWS);
                return Optional.empty();
            }

            @Override
            public Optional<java.security.cert.X509CRL> gatewayCrl() {
                return WorkloadRevocation.gatewayCrl(clouds.spec, clouds.awsLink.ports());
            }
        };
        return new WorkloadRevocation(rotation, azurePorts.clientCertificates(), delivery,
                new JsonLines(new PrintStream(clouds.azureLines, true, StandardCharsets.UTF_8)), clouds.clock);
    }

    @Override
    public String requester() {
        return Requester.of(clouds.azureClients.credential());
    }
}
