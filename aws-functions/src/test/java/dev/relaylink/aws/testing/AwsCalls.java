package dev.relaylink.aws.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Records every AWS SDK call the functions make ("Service.Operation"), so a test can prove a refused event made none. */
public final class AwsCalls implements ExecutionInterceptor {
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    public void clear() {
        calls.clear();
    }
}
