package dev.relaylink.aws.handler;

import dev.relaylink.failure.ConfigurationFailure;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Which AWS errors no retry of the event can get past: an access denial (the function's role lacks a
 * permission, or a key policy shuts it out) and a missing link table (every run claims its event
 * there first). Throttles, 5xx and everything else stay retryable.
 */
final class AwsFailures {
    /** The error codes AWS services give a denied call (KMS, Secrets Manager, DynamoDB; EC2; ELB and others on the query protocol). */
    static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError");

    private AwsFailures() {
    }

    static Optional<ConfigurationFailure> configuration(Throwable failure) {
        if (failure instanceof ResourceNotFoundException missing) {
            return Optional.of(new ConfigurationFailure("the link's DynamoDB table is missing: " + missing.getMessage(), missing));
        }
        // By code, not by status 403 alone: an expired token or a skewed clock is 403 too, and passes on a retry.
        if (failure instanceof AwsServiceException service && service.awsErrorDetails() != null
                && ACCESS_DENIED.contains(service.awsErrorDetails().errorCode())) {
            return Optional.of(new ConfigurationFailure("access denied: " + service.getMessage(), service));
        }
        return Optional.empty();
    }
}
