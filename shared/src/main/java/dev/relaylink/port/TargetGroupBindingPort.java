package dev.relaylink.port;

import dev.relaylink.state.TargetGroupBinding;
import java.util.Optional;

/**
 * The EKS TargetGroupBinding that hands the NLB's target group to the AWS Load Balancer Controller.
 * The controller registers and deregisters the pods; relay-link only writes the object and reads it back.
 */
public interface TargetGroupBindingPort {

    /** The binding {@code namespace/name} as the cluster holds it; empty when it does not exist. */
    Optional<TargetGroupBinding> observe(String namespace, String name);

    /**
     * Makes the binding's spec exactly {@code binding} (fields relay-link does not set are removed; other
     * owners' labels and annotations are kept). Returns false and writes nothing when it is already so.
     */
    boolean apply(TargetGroupBinding binding);
}
