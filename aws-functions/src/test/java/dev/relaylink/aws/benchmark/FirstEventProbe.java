package dev.relaylink.aws.benchmark;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Lambda cold start without Lambda: in a fresh JVM whose classpath is the unpacked deployment
 * zip (plus this class), build the handler the way the runtime does (public no-argument
 * constructor, so its static init reads the environment and builds the AWS and EKS clients) and
 * hand it one event. Prints the wall clock when the event was handled; ColdStartBenchmark, which
 * started the JVM, turns that into the time from launch to the first handled event.
 *
 * <p>Arguments: the handler class, the event file.
 */
public final class FirstEventProbe {
    private FirstEventProbe() {
    }

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        long constructed = System.currentTimeMillis();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), result, null);
        long handled = System.currentTimeMillis();

        // Everything below happens after the measured moment.
        Runtime runtime = Runtime.getRuntime();
        System.out.println("CONSTRUCTED " + constructed);
        System.out.println("HANDLED " + handled);
        System.out.println("UPTIME " + ManagementFactory.getRuntimeMXBean().getUptime());
        System.out.println("HEAP_MB " + (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024));
        System.out.println("RESULT " + result.toString(StandardCharsets.UTF_8).replace('\n', ' '));
    }
}
