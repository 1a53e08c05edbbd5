package dev.relaylink.aws.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Lambda cold start without Lambda, in a fresh JVM: like the Java runtime, load the function from
 * its own class loader over the unpacked function zip and layers (the task root, the task's lib/*.jar,
 * then the layers' java/lib/*.jar, each sorted by name; parent: the system class loader, which holds
 * only this probe and aws-lambda-java-core, as the runtime's does), build the handler with its public
 * no-argument constructor (its init reads the environment and builds its clients) and hand it one
 * event. Prints the wall clock when the handler was built and when the event was handled; the JVM
 * that launched this one turns them into times from launch.
 *
 * <p>Arguments: the task root, the layers' root (/opt), the handler class, the event file (or
 * {@code -} to build the handler only: its init phase).
 */
public final class FirstEventProbe {
    private FirstEventProbe() {
    }

    public static void main(String[] args) throws Exception {
        ClassLoader function = new URLClassLoader("function", urls(Path.of(args[0]), Path.of(args[1])), ClassLoader.getSystemClassLoader());
        Thread.currentThread().setContextClassLoader(function);
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[2], true, function).getConstructor().newInstance();
        long constructed = System.currentTimeMillis();
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        if (!args[3].equals("-")) {
            byte[] event = Files.readAllBytes(Path.of(args[3]));
            handler.handleRequest(new ByteArrayInputStream(event), result, null);
        }
        long handled = System.currentTimeMillis();

        // Everything below happens after the measured moment.
        Runtime runtime = Runtime.getRuntime();
        System.out.println("CONSTRUCTED " + constructed);
        System.out.println("HANDLED " + handled);
        System.out.println("UPTIME " + ManagementFactory.getRuntimeMXBean().getUptime());
        System.out.println("HEAP_MB " + (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024));
        System.out.println("RESULT " + result.toString(StandardCharsets.UTF_8).replace('\n', ' '));
    }

    private static URL[] urls(Path task, Path opt) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(task.toUri().toURL());
        for (Path dir : List.of(task.resolve("lib"), opt.resolve("java/lib"))) {
            File[] jars = dir.toFile().listFiles((d, name) -> name.endsWith(".jar"));
            if (jars != null) {
                Arrays.sort(jars);
                for (File jar : jars) {
                    urls.add(jar.toURI().toURL());
                }
            }
        }
        return urls.toArray(URL[]::new);
    }
}
