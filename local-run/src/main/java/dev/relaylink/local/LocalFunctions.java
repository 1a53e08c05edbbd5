package dev.relaylink.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.handler.ClusterChangeHandler;
import dev.relaylink.aws.handler.EndpointConnectionHandler;
import dev.relaylink.aws.handler.EndpointServiceDriftHandler;
import dev.relaylink.aws.handler.HandlerResponse;
import dev.relaylink.aws.handler.LoadBalancerDriftHandler;
import dev.relaylink.aws.handler.ReconcileHandler;
import dev.relaylink.aws.handler.ServerCertificateRotationHandler;
import dev.relaylink.azure.function.ClientCertificateRotationFunction;
import dev.relaylink.azure.function.ClusterChangeFunction;
import dev.relaylink.azure.function.PrivateEndpointApprovalFunction;
import dev.relaylink.azure.function.ReconcileFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The deployed functions of both sides, built on the local clouds, invoked in-process the way
 * Lambda and the Functions host invoke them: raw event bytes in, the handler's answer out.
 */
final class LocalFunctions {
    final LocalClouds clouds;
    final LinkEvents events;
    final EndpointConnectionHandler endpointConnections;
    final EndpointServiceDriftHandler endpointServiceDrift;
    final LoadBalancerDriftHandler loadBalancerDrift;
    final ServerCertificateRotationHandler serverRotation;
    final ReconcileHandler awsReconcile;
    final ClusterChangeHandler eksChange;
    final PrivateEndpointApprovalFunction approval;
    final ClientCertificateRotationFunction clientRotation;
    final ReconcileFunction azureReconcile;
    final ClusterChangeFunction aksChange;

    LocalFunctions(LocalClouds clouds) {
        this.clouds = clouds;
        this.events = new LinkEvents(clouds.spec, clouds::endpointServiceId);
        endpointConnections = new EndpointConnectionHandler(clouds.awsLink);
        endpointServiceDrift = new EndpointServiceDriftHandler(clouds.awsLink);
        loadBalancerDrift = new LoadBalancerDriftHandler(clouds.awsLink);
        serverRotation = new ServerCertificateRotationHandler(clouds.awsLink);
        awsReconcile = new ReconcileHandler(clouds.awsLink);
        eksChange = new ClusterChangeHandler(clouds.awsLink);
        approval = new PrivateEndpointApprovalFunction(() -> clouds.azureLink);
        clientRotation = new ClientCertificateRotationFunction(() -> clouds.azureLink);
        azureReconcile = new ReconcileFunction(() -> clouds.azureLink);
        aksChange = new ClusterChangeFunction(() -> clouds.azureLink);
    }

    /** Invokes a Lambda handler with an event; a handler that throws is a failed invocation (Lambda retries it). */
    HandlerResponse invoke(RequestStreamHandler handler, JsonNode event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(JsonLines.JSON.writeValueAsBytes(event)), out, null);
            return JsonLines.JSON.readValue(out.toByteArray(), HandlerResponse.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Empty clouds to a working link, as the schedules do it: AWS creates its CA and publishes it; the
     * Azure reconcile creates the client CA, exchanges the CA certificates with AWS (federated, through
     * the emulator's STS and Secrets Manager) and issues the workloads' certificates; the next AWS
     * reconcile trusts the client CAs at the gateway and issues the server certificate.
     */
    void bootstrap() {
        LocalRun.expectResult(invoke(awsReconcile, events.scheduled()), "APPLIED");
        azureReconcile();
        LocalRun.expectResult(invoke(awsReconcile, events.scheduled()), "APPLIED");
        azureReconcile();
    }

    void azureReconcile() {
        azureReconcile.run("{\"isPastDue\":false}", LocalContext.of(ReconcileFunction.NAME));
    }

    /** Delivers one Event Hub batch of AKS audit records to the cluster change function. */
    void aksChanged(String records) {
        aksChange.run(new String[] {records}, LocalContext.of(ClusterChangeFunction.NAME));
    }

    void approve(String connectionName) {
        approval.run(events.privateEndpointConnectionWrite(connectionName), LocalContext.of(PrivateEndpointApprovalFunction.NAME));
    }
}
