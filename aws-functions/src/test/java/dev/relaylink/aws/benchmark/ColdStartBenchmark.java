package dev.relaylink.aws.benchmark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.audit.JsonLines;
import dev.relaylink.aws.handler.EndpointConnectionHandler;
import dev.relaylink.aws.handler.EndpointServiceDriftHandler;
import dev.relaylink.aws.handler.HandlerResponse;
import dev.relaylink.aws.handler.LoadBalancerDriftHandler;
import dev.relaylink.aws.handler.ReconcileHandler;
import dev.relaylink.aws.handler.ServerCertificateRotationHandler;
import dev.relaylink.aws.template.LambdaPackage;
import dev.relaylink.aws.testing.AwsFunctionsWorld;
import dev.relaylink.aws.testing.PackagedFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Prints the figures of the AWS deployment package, in one run on this machine:
 * <ul>
 *   <li>the size of the function zip and of each layer;</li>
 *   <li>a bare JVM hello world, launched like the functions (the ratio to it is the figure that
 *       counts: it does not depend on how fast this machine is);</li>
 *   <li>for each of the five handlers, the time from launch to the handler built (the runtime's
 *       init phase: the link spec and the clients that handler uses; ReconcileHandler uses them
 *       all, as every handler built them before each built only its own);</li>
 *   <li>for two handlers, the time from launching a fresh C1-only JVM (Lambda's java21 flags) that
 *       loads the function from the unpacked zip and layers, as the runtime does, to its first
 *       handled event against the AWS emulator and a mock EKS API: as deployed (the JDK's own CDS
 *       archive only), and with an application CDS archive of the function's classes made by a
 *       training run, the startup option evaluated here, with the ratio between them;</li>
 *   <li>the share of each first event spent before the handler is built (the runtime's init phase,
 *       what a SnapStart snapshot replaces) and after it.</li>
 * </ul>
 * Run by scripts/benchmark, which builds the package and starts the emulator.
 */
public final class ColdStartBenchmark {
    private static final int RUNS = Integer.getInteger("relaylink.benchmark.runs", 5);

    private ColdStartBenchmark() {
    }

    private record Case(String name, String handler, Supplier<String> event) {
    }

    /** Every handler of template.yaml, with what its init builds. */
    private static final List<List<String>> HANDLERS = List.of(
            List.of(EndpointConnectionHandler.class.getName(), "EC2, DynamoDB"),
            List.of(EndpointServiceDriftHandler.class.getName(), "EC2, DynamoDB"),
            List.of(LoadBalancerDriftHandler.class.getName(), "EC2, ELB, DynamoDB, EKS"),
            List.of(ServerCertificateRotationHandler.class.getName(), "Secrets Manager, KMS, DynamoDB, EKS"),
            List.of(ReconcileHandler.class.getName(), "all five AWS clients and EKS"));

    private record Figures(List<Long> millis, List<Long> init, String result, String heapMb) {
        Figures() {
            this(new ArrayList<>(), new ArrayList<>(), "", "");
        }
    }

    public static void main(String[] args) throws Exception {
        LambdaPackage built = LambdaPackage.built();
        Path work = Files.createTempDirectory("relay-link-cold-start");
        try (AwsFunctionsWorld world = new AwsFunctionsWorld()) {
            HandlerResponse bootstrap = world.invoke(new ServerCertificateRotationHandler(world.link),
                    AwsFunctionsWorld.fresh(AwsFunctionsWorld.event("scheduled-event.json")));
            if (!"APPLIED".equals(bootstrap.result())) {
                throw new IllegalStateException("bootstrap failed: " + bootstrap);
            }
            PackagedFunction.seedOpenEndpointService(world);
            PackagedFunction function = new PackagedFunction(built, work.resolve("container"), PackagedFunction.environment(world));
            String account = PackagedFunction.emulatorAccount(world);
            String secretArn = world.aws.secretsManager().describeSecret(r -> r.secretId(world.spec.aws().serverCertSecretId())).arn();

            List<Case> cases = List.of(
                    new Case("EndpointConnectionHandler, safety-net schedule", EndpointConnectionHandler.class.getName(),
                            () -> AwsFunctionsWorld.fresh(AwsFunctionsWorld.event("scheduled-event.json")).toString().replace(AwsFunctionsWorld.ACCOUNT, account)),
                    new Case("ServerCertificateRotationHandler, createSecret", ServerCertificateRotationHandler.class.getName(),
                            () -> createSecret(secretArn)));

            // One run of each case that is not measured: it leaves the link as every measured run finds it
            // (the endpoint service locked down), and trains the application CDS archive of its handler.
            List<List<String>> cds = new ArrayList<>();
            for (Case c : cases) {
                Path archive = work.resolve(c.handler().substring(c.handler().lastIndexOf('.') + 1) + ".jsa");
                function.firstEvent(c.handler(), function.eventFile("training.json", c.event().get()),
                        List.of("-XX:ArchiveClassesAtExit=" + archive));
                if (!Files.isRegularFile(archive)) {
                    throw new IllegalStateException("the training run made no CDS archive " + archive);
                }
                cds.add(List.of("-XX:SharedArchiveFile=" + archive));
            }

            List<Long> hello = new ArrayList<>();
            List<List<Long>> inits = new ArrayList<>();
            HANDLERS.forEach(h -> inits.add(new ArrayList<>()));
            List<Figures> plain = new ArrayList<>();
            List<Figures> archived = new ArrayList<>();
            cases.forEach(c -> {
                plain.add(new Figures());
                archived.add(new Figures());
            });
            for (int run = 0; run < RUNS; run++) {
                hello.add(function.hello(List.of()));
                for (int i = 0; i < HANDLERS.size(); i++) {
                    inits.get(i).add(function.init(HANDLERS.get(i).get(0), List.of()).initMillis());
                }
                for (int i = 0; i < cases.size(); i++) {
                    Case c = cases.get(i);
                    measure(function, c, List.of(), plain, i);
                    measure(function, c, cds.get(i), archived, i);
                }
            }

            long helloMedian = median(hello);
            System.out.println();
            System.out.println("relay-link AWS deployment package (" + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores; child JVMs " + String.join(" ", PackagedFunction.LAMBDA_JVM) + "; median of " + RUNS + ")");
            long unzipped = 0;
            for (Path artifact : built.artifacts()) {
                long bytes = LambdaPackage.uncompressedBytes(artifact);
                unzipped += bytes;
                System.out.printf(Locale.ROOT, "  %-36s %5.1f MB zipped %5.1f MB unzipped %3d jars%n", artifact.getFileName(),
                        Files.size(artifact) / 1e6, bytes / 1e6, LambdaPackage.jarNames(artifact).size());
            }
            System.out.printf(Locale.ROOT, "  %-36s %26.1f MB unzipped%n", "function code and layers", unzipped / 1e6);
            System.out.printf(Locale.ROOT, "  bare JVM hello world, launch to main: %d ms %s%n", helloMedian, hello);
            System.out.println("  launch to handler built (the init phase: the link spec and the clients the handler uses):");
            for (int i = 0; i < HANDLERS.size(); i++) {
                String handler = HANDLERS.get(i).get(0);
                long init = median(inits.get(i));
                System.out.printf(Locale.ROOT, "    %-34s %6d ms (%5.1fx)  %-38s %s%n", handler.substring(handler.lastIndexOf('.') + 1), init,
                        (double) init / helloMedian, HANDLERS.get(i).get(1), inits.get(i));
            }
            System.out.println("  launch to first handled event (ratio to hello world):");
            System.out.printf(Locale.ROOT, "    %-50s %17s %26s %8s%n", "", "as deployed", "with an AppCDS archive", "speed-up");
            for (int i = 0; i < cases.size(); i++) {
                long without = median(plain.get(i).millis());
                long with = median(archived.get(i).millis());
                System.out.printf(Locale.ROOT, "    %-50s %6d ms (%5.1fx) %15d ms (%5.1fx) %7.2fx%n", cases.get(i).name(), without,
                        (double) without / helloMedian, with, (double) with / helloMedian, (double) without / with);
            }
            System.out.println("  of which before the handler is built (the init phase, which a SnapStart snapshot replaces) / after:");
            for (int i = 0; i < cases.size(); i++) {
                Figures f = plain.get(i);
                long init = median(f.init());
                System.out.printf(Locale.ROOT, "    %-50s %6d ms / %d ms (as deployed)%n", cases.get(i).name(), init, median(f.millis()) - init);
            }
            for (int i = 0; i < cases.size(); i++) {
                System.out.printf(Locale.ROOT, "  heap in use after the first event, %s: %s MB%n", cases.get(i).name(), plain.get(i).heapMb());
            }
            System.out.println("  runs (as deployed; with the archive):");
            for (int i = 0; i < cases.size(); i++) {
                System.out.printf(Locale.ROOT, "    %-50s %s; %s%n", cases.get(i).name(), plain.get(i).millis(), archived.get(i).millis());
                String result = plain.get(i).result();
                System.out.println("      -> " + (result.length() > 150 ? result.substring(0, 150) + "..." : result));
            }
        }
    }

    private static void measure(PackagedFunction function, Case c, List<String> options, List<Figures> figures, int index) {
        try {
            PackagedFunction.Launch launch = function.firstEvent(c.handler(), function.eventFile("event.json", c.event().get()), options);
            String outcome = JsonLines.JSON.readTree(launch.result()).path("result").asText();
            if (!outcome.equals("APPLIED") && !outcome.equals("NO_CHANGE")) {
                throw new IllegalStateException(c.name() + " was not handled: " + launch);
            }
            Figures f = figures.get(index);
            f.millis().add(launch.millis());
            f.init().add(launch.initMillis());
            figures.set(index, new Figures(f.millis(), f.init(), launch.result(), launch.heapMb()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Secrets Manager's first rotation step for the world's secret, with a fresh rotation token. */
    private static String createSecret(String secretArn) {
        ObjectNode event = JsonLines.JSON.createObjectNode()
                .put("Step", "createSecret")
                .put("SecretId", secretArn)
                .put("ClientRequestToken", UUID.randomUUID().toString())
                .put("RotationToken", UUID.randomUUID().toString());
        return event.toString();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
