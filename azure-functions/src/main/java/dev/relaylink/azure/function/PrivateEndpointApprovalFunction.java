package dev.relaylink.azure.function;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.relaylink.event.RefusedEvent;
import dev.relaylink.plan.Concern;
import dev.relaylink.state.PrivateEndpointConnection;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Approval gate B: a private endpoint asked to connect to the link's Private Link Service (ARM's
 * {@code ResourceWriteSuccess} for a {@code privateEndpointConnections/write}). Reads the connection,
 * then reconciles the Private Link Service and the private DNS record: a connection from an
 * allowed subscription and VNet is approved and the relay host name resolves to its IP; any other
 * is rejected with the reason. Approving writes the connection again, and the event of that write
 * finds nothing left to do.
 */
public final class PrivateEndpointApprovalFunction {
    public static final String NAME = "PrivateEndpointApproval";
    // The workloads' egress follows the approved endpoint in the same run as the DNS record.
    static final Set<Concern> CONCERNS = EnumSet.of(Concern.PRIVATE_ENDPOINTS, Concern.PRIVATE_DNS, Concern.AKS_NETWORK_POLICIES);

    private final Supplier<AzureFunctions> link;

    public PrivateEndpointApprovalFunction() {
        this(AzureFunctions::get);
    }

    /** With a link built elsewhere: tests and the local run. */
    public PrivateEndpointApprovalFunction(Supplier<AzureFunctions> link) {
        this.link = link;
    }

    @FunctionName(NAME)
    public void run(@EventGridTrigger(name = "event", dataType = "string") String event, ExecutionContext context) {
        AzureFunctions link = this.link.get();
        Invocations.handle(link, context, NAME, () -> PrivateEndpointWrite.of(EventEnvelope.parse(event), link.spec()),
                PrivateEndpointWrite::eventId, write -> {
                    String name = write.connection().connection();
                    // Deleted since the write (or never on this service): there is nothing to approve.
                    PrivateEndpointConnection connection = link.privateEndpointConnection(name).orElseThrow(() -> new RefusedEvent(
                            write.eventId(), "connection " + name + " does not exist on Private Link Service " + write.connection().privateLinkService()));
                    context.getLogger().info(() -> "connection " + name + " is " + connection.status() + ", requested from subscription "
                            + connection.subscriptionId() + " VNet " + connection.vnetId());
                    return link.reconciler().handle(write.eventId(), CONCERNS);
                });
    }
}
