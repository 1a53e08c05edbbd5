package dev.relaylink.aws;

import dev.relaylink.aws.adapter.Lazy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Ports whose adapter (and the SDK or Kubernetes client under it) is built on first use. The core
 * gets every port of the AWS side; a container builds only those its handler touches.
 */
final class LazyPorts {
    private LazyPorts() {
    }

    /** {@code port}'s calls go to the adapter, which {@code adapter} builds on the first of them. */
    static <T> T lazy(Class<T> port, Lazy<? extends T> adapter) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "lazy " + port.getSimpleName();
                };
            }
            try {
                return method.invoke(adapter.get(), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
