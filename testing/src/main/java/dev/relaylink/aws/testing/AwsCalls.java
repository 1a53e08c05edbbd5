package dev.relaylink.aws.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS SDK call the functions make ("Service.Operation"), so a test can prove a refused
 * event made none; while a handler runs ({@link #during}) each call is also logged as an IAM action
 * of that function ({@link FunctionOperations}), which the permission test compares with template.yaml.
 */
public final class AwsCalls implements ExecutionInterceptor {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    // Set while a handler is invoked; calls the test makes itself (setup, breaking things) belong to no function.
    private volatile String function;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.add(service + "." + operation);
        String current = function;
        if (current != null) {
            FunctionOperations.record(current, FunctionOperations.iamAction(service, operation));
        }
    }

    /** Runs {@code invocation} as the handler class {@code handler}: the calls it makes are that function's. */
    public <T> T during(String handler, Supplier<T> invocation) {
        String previous = function;
        function = handler;
        try {
            return invocation.get();
        } finally {
            function = previous;
        }
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    public void clear() {
        calls.clear();
    }
}
