package dev.relaylink.cli;

import dev.relaylink.usecase.WorkloadRevocation;
import dev.relaylink.operate.LinkSide;
import dev.relaylink.spec.LinkSpec;
import java.util.List;

/**
 * What the subcommands reach: the link's spec, its sides as deployed, and the revocation use case
 * of the Azure side. {@link CloudConnection} builds it from the operator's credential chains; the
 * local run and the tests build it on their local clouds.
 */
public interface LinkConnection extends AutoCloseable {

    LinkSpec spec();

    /** The sides to observe, AWS first. */
    List<LinkSide> sides(Options.Side side);

    WorkloadRevocation revocation();

    /** Who is asking, with where the name comes from ({@code azure:...} or {@code os-user:...}). */
    String requester();

    @Override
    default void close() {
    }
}
