package dev.chatwire.core;

import dev.chatwire.core.spi.UnavailableException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Counts an adapter's failures by SPI and operation: wraps the adapter in a proxy of its SPI that reports every
 * {@link UnavailableException} to {@link ChatMetrics#adapterFailed} and rethrows it unchanged. Used only when the
 * engine has metrics, so an engine without them calls its adapters directly.
 */
final class AdapterFailures {

    private AdapterFailures() {
    }

    /** The adapter, or with metrics a proxy of {@code spi} that counts its failures. */
    static <T> T counted(Class<T> spi, T adapter, ChatMetrics metrics) {
        if (metrics == ChatMetrics.NONE || adapter == null) {
            return adapter;
        }
        String spiName = spi.getSimpleName();
        InvocationHandler handler = (proxy, method, args) -> invoke(proxy, adapter, method, args, spiName, metrics);
        return spi.cast(Proxy.newProxyInstance(spi.getClassLoader(), new Class<?>[] {spi}, handler));
    }

    private static Object invoke(Object proxy, Object adapter, Method method, Object[] args, String spi,
                                 ChatMetrics metrics) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return objectMethod(proxy, adapter, method, args, spi);
        }
        try {
            return method.invoke(adapter, args);
        } catch (InvocationTargetException e) {
            Throwable failure = e.getCause();
            if (failure instanceof UnavailableException) {
                metrics.adapterFailed(spi, method.getName());
            }
            throw failure;
        }
    }

    /** equals and hashCode by the proxy's identity; toString names the adapter. */
    private static Object objectMethod(Object proxy, Object adapter, Method method, Object[] args, String spi) {
        return switch (method.getName()) {
            case "equals" -> args[0] == proxy;
            case "hashCode" -> System.identityHashCode(proxy);
            default -> spi + " counting failures of " + adapter;
        };
    }
}
