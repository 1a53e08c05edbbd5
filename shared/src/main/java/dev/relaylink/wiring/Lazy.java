package dev.relaylink.wiring;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value built on first use and kept: how a Lambda container or function host builds only the
 * clients and ports its handlers use. Thread-safe; a failed build is retried on the next use.
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> factory;
    private volatile T value;

    private Lazy(Supplier<? extends T> factory, T value) {
        this.factory = factory;
        this.value = value;
    }

    public static <T> Lazy<T> of(Supplier<? extends T> factory) {
        return new Lazy<>(Objects.requireNonNull(factory), null);
    }

    /** A value that exists already (tests hand in clients they built themselves). */
    public static <T> Lazy<T> built(T value) {
        return new Lazy<>(() -> value, Objects.requireNonNull(value));
    }

    @Override
    public T get() {
        T result = value;
        if (result == null) {
            synchronized (this) {
                result = value;
                if (result == null) {
                    result = Objects.requireNonNull(factory.get(), "the factory built null");
                    value = result;
                }
            }
        }
        return result;
    }

    public boolean isBuilt() {
        return value != null;
    }
}
