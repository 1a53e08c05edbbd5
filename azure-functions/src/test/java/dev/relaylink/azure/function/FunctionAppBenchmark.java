package dev.relaylink.azure.function;

import dev.relaylink.pki.Credential;
import dev.relaylink.pki.Pem;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.testing.TestSpecs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Prints the function app's package size (the staging folder, and zipped as a zip deploy uploads
 * it) and the time from starting a fresh JVM on the packaged app to its first handled event, for
 * an approval (ARM) and a rotation (Key Vault sign and import, AKS write), with the default JIT and
 * C1 only. The clouds are the local stand-ins, already running in this process. Figures, not a test.
 *
 * <p>Argument: the staging folder (azure-functions/target/azure-functions/relay-link-functions).
 */
public final class FunctionAppBenchmark {
    private static final int RUNS = 3;
    private static final LinkSpec.Workload CHECKOUT = TestSpecs.example().workloads().get(0);

    /** Held so the mock API server's per-request log lines stay quiet. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        Path staging = Path.of(args.length > 0 ? args[0] : "azure-functions/target/azure-functions/relay-link-functions");
        Path spec = Path.of(args.length > 1 ? args[1] : "examples/link.yaml");
        packageFigures(staging);

        Path work = Files.createTempDirectory("relay-link-azure-bench");
        try (AzureHarness azure = new AzureHarness()) {
            Path ca = Files.writeString(work.resolve("fake-ca.pem"), Pem.write(azure.fake.tlsCaCertificate()));
            azure.bootstrap(CHECKOUT);
            for (String jit : List.of("default", "C1")) {
                long hello = helloWorld(jit);
                System.out.printf("bare JVM hello world, fresh JVM (%s JIT): %d ms from process start to main; median of %d%n", jit, hello, RUNS);
                for (String function : List.of(PrivateEndpointApprovalFunction.NAME, ClientCertificateRotationFunction.NAME)) {
                    List<long[]> runs = new ArrayList<>();
                    for (int run = 0; run < RUNS; run++) {
                        Path event = Files.writeString(work.resolve("event-" + run + ".json"), nextEvent(azure, function, jit + run));
                        runs.add(firstEvent(staging, jit, function, event, spec, ca, azure));
                    }
                    runs.sort(Comparator.comparingLong(r -> r[0]));
                    long[] median = runs.get(RUNS / 2);
                    System.out.printf("first event, fresh JVM (%s JIT), %s: %d ms from process start to handled (%.1fx hello world; "
                                    + "building the link %d ms, handling %d ms); median of %d, fastest %d ms%n",
                            jit, function, median[0], (double) median[0] / hello, median[1], median[2], RUNS, runs.get(0)[0]);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void packageFigures(Path staging) throws IOException {
        long files;
        long bytes;
        try (Stream<Path> all = Files.walk(staging)) {
            List<Path> regular = all.filter(Files::isRegularFile).toList();
            files = regular.size();
            bytes = regular.stream().mapToLong(p -> p.toFile().length()).sum();
        }
        Path zip = Files.createTempFile("relay-link-functions", ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream zipped = new ZipOutputStream(out); Stream<Path> all = Files.walk(staging)) {
            for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
                zipped.putNextEntry(new ZipEntry(staging.relativize(file).toString()));
                Files.copy(file, zipped);
                zipped.closeEntry();
            }
        }
        long zipBytes = Files.size(zip);
        Files.delete(zip);
        long jars;
        try (Stream<Path> lib = Files.list(staging.resolve("lib"))) {
            jars = lib.count();
        }
        System.out.printf("function app package: %.1f MB in %d files (%d dependency jars); %.1f MB zipped for zip deploy%n",
                bytes / 1e6, files, jars, zipBytes / 1e6);
    }

    /** An event the function will act on: a new Pending connection to approve, or the current certificate near expiry. */
    private static String nextEvent(AzureHarness azure, String function, String suffix) {
        if (function.equals(PrivateEndpointApprovalFunction.NAME)) {
            String name = "bench-pe-" + suffix + ".0000";
            String endpoint = azure.fake.arm().privateEndpoint(TestSpecs.SUBSCRIPTION, "aks-rg", "bench-pe-" + suffix, TestSpecs.VNET,
                    "10.240.1." + (10 + Math.abs(suffix.hashCode() % 200)));
            azure.fake.arm().requestConnection(azure.privateLinkServiceId, name, endpoint);
            return Events.pecWrite(Events.PEC_WRITE_EVENT_GRID, "bench-" + suffix, name);
        }
        Credential current = azure.link.ports().clientCertificates().current(CHECKOUT.spiffeId(TestSpecs.example().trustDomain())).orElseThrow();
        return Events.edited(Events.NEAR_EXPIRY_EVENT_GRID, e -> {
            e.put("id", "bench-" + suffix);
            Events.data(e).put("Version", azure.versions(CHECKOUT).getLast())
                    .put("EXP", current.leaf().getNotAfter().toInstant().getEpochSecond());
        });
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {process start to handled, building the link, handling} in ms. */
    /** The bare JVM the first events are compared with, launched and timed the same way. */
    public static final class Hello {
        private Hello() {
        }

        public static void main(String[] args) {
            System.out.println("handled 0 0");
        }
    }

    private static long helloWorld(String jit) throws IOException, InterruptedException {
        List<Long> runs = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            if (jit.equals("C1")) {
                command.add("-XX:TieredStopAtLevel=1");
            }
            command.addAll(List.of("-cp", codeSource(Hello.class), Hello.class.getName()));
            runs.add(launch(command, "hello world")[0]);
        }
        runs.sort(Comparator.naturalOrder());
        return runs.get(RUNS / 2);
    }

    private static long[] firstEvent(Path staging, String jit, String function, Path event, Path spec, Path ca, AzureHarness azure)
            throws IOException, InterruptedException {
        // The package, plus what the Java worker provides (the core library: ExecutionContext) and the probe with the fakes' client side.
        String classpath = String.join(java.io.File.pathSeparator, staging.resolve("*").toString(), staging.resolve("lib/*").toString(),
                codeSource(com.microsoft.azure.functions.ExecutionContext.class), codeSource(FirstEventProbe.class));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (jit.equals("C1")) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(List.of("-cp", classpath, FirstEventProbe.class.getName(), function, event.toString(), spec.toString(),
                azure.fake.vaultUrl(), azure.fake.resourceManagerEndpoint().toString(), ca.toString(), azure.aks.server.url("/")));
        return launch(command, function);
    }

    /** Starts {@code command} and times it until it prints "handled <link ms> <handling ms>". */
    private static long[] launch(List<String> command, String what) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("handled ")) {
                    long total = (System.nanoTime() - start) / 1_000_000;
                    String[] parts = line.split(" ");
                    process.waitFor();
                    return new long[] {total, Long.parseLong(parts[1]), Long.parseLong(parts[2])};
                }
                output.add(line);
            }
        }
        process.waitFor();
        throw new IllegalStateException(what + " did not handle its event (exit " + process.exitValue() + "):\n" + String.join("\n", output));
    }
}
