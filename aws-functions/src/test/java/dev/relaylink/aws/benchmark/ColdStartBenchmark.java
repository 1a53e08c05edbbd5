package dev.relaylink.aws.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.relaylink.aws.handler.HandlerResult;
import dev.relaylink.aws.handler.ServerCertificateRotationHandler;
import dev.relaylink.aws.template.CloudFormationTemplate;
import dev.relaylink.aws.template.LambdaZip;
import dev.relaylink.aws.testing.AwsLinkWorld;
import dev.relaylink.pki.Pem;
import dev.relaylink.spec.LinkSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Prints the figures of the AWS deployment package: the zip's size, and the time from launching a
 * fresh C1-only JVM (as Lambda's java21 runtime runs) whose classpath is the unpacked zip to its
 * first handled event against the AWS emulator and a mock EKS API, next to a bare JVM hello world
 * launched the same way in the same run. The ratio is the figure that counts: it does not depend
 * on how fast this machine is. Run by scripts/benchmark (which builds the zip and starts the emulator).
 */
public final class ColdStartBenchmark {
    private static final int RUNS = Integer.getInteger("relaylink.benchmark.runs", 5);
    /** Lambda's java21 runtime: C1 only, serial GC, CDS; heap about 85% of the function's 1024 MB. */
    private static final List<String> LAMBDA_LIKE_JVM = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx870m");

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path zip = LambdaZip.built();
        Path work = Files.createTempDirectory("relay-link-cold-start");
        List<Path> classpath = new ArrayList<>(LambdaZip.unpack(zip, work.resolve("task")));
        classpath.add(probeClasses(work.resolve("probe")));
        String cp = String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList());

        try (AwsLinkWorld world = new AwsLinkWorld()) {
            bootstrap(world);
            // The emulator's own account: its ARNs carry it, and the handlers check events against the spec's.
            String account = world.aws.secretsManager().describeSecret(r -> r.secretId(world.spec.aws().serverCertSecretId())).arn().split(":")[4];
            Map<String, String> environment = lambdaEnvironment(world, account);

            List<Long> hello = new ArrayList<>();
            List<Long> scan = new ArrayList<>();
            List<Long> step = new ArrayList<>();
            List<Long> init = new ArrayList<>();
            String scanResult = "";
            String stepResult = "";
            String heap = "";
            for (int run = 0; run < RUNS; run++) {
                hello.add(launch(cp, HelloProbe.class.getName(), List.of(), environment).millis);

                Launch daily = launch(cp, FirstEventProbe.class.getName(),
                        List.of(ServerCertificateRotationHandler.class.getName(), eventFile(work, "scheduled-event.json", account).toString()),
                        environment);
                scan.add(daily.millis);
                init.add(daily.initMillis);
                scanResult = daily.result;

                Launch create = launch(cp, FirstEventProbe.class.getName(),
                        List.of(ServerCertificateRotationHandler.class.getName(), createSecretEvent(world, work).toString()),
                        environment);
                step.add(create.millis);
                init.add(create.initMillis);
                stepResult = create.result;
                heap = create.heapMb;
            }

            long helloMedian = median(hello);
            System.out.println();
            System.out.println("relay-link AWS deployment package (" + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores; child JVMs " + String.join(" ", LAMBDA_LIKE_JVM) + "; median of " + RUNS + ")");
            System.out.printf(Locale.ROOT, "  zip %s: %.1f MB (%.1f MB unpacked)%n", zip.getFileName(), Files.size(zip) / 1e6,
                    LambdaZip.uncompressedBytes(zip) / 1e6);
            System.out.printf(Locale.ROOT, "  bare JVM hello world, launch to main:            %5d ms  %s%n", helloMedian, hello);
            row("ServerCertificateRotationHandler, daily scan (schedule)", scan, helloMedian, scanResult);
            row("ServerCertificateRotationHandler, createSecret (KMS-signed)", step, helloMedian, stepResult);
            System.out.printf(Locale.ROOT, "  of which launch to handler built (static init: spec, AWS and EKS clients): %d ms median %s%n",
                    median(init), init);
            System.out.println("  heap in use after the first event: " + heap + " MB");
        }
    }

    private static void row(String name, List<Long> millis, long hello, String result) {
        long median = median(millis);
        System.out.printf(Locale.ROOT, "  %-56s %5d ms  %s  ratio %.1fx%n      -> %s%n", name + ", launch to handled:", median, millis,
                (double) median / hello, result.length() > 160 ? result.substring(0, 160) + "..." : result);
    }

    /** The server side as the first reconcile leaves it: the CA in KMS, the server certificate, the EKS secrets. */
    private static void bootstrap(AwsLinkWorld world) {
        HandlerResult certificate = world.invoke(new ServerCertificateRotationHandler(world.link),
                AwsLinkWorld.fresh(AwsLinkWorld.event("scheduled-event.json")));
        if (!"APPLIED".equals(certificate.result())) {
            throw new IllegalStateException("bootstrap failed: " + certificate);
        }
    }

    /** Secrets Manager's first rotation step for the world's secret, with a fresh rotation token. */
    private static Path createSecretEvent(AwsLinkWorld world, Path work) throws IOException {
        ObjectNode event = new ObjectMapper().createObjectNode()
                .put("Step", "createSecret")
                .put("SecretId", world.aws.secretsManager().describeSecret(r -> r.secretId(world.spec.aws().serverCertSecretId())).arn())
                .put("ClientRequestToken", UUID.randomUUID().toString())
                .put("RotationToken", UUID.randomUUID().toString());
        Path file = work.resolve(UUID.randomUUID() + "-createSecret.json");
        Files.writeString(file, event.toString());
        return file;
    }

    /** What template.yaml gives a function, pointing at this world. */
    private static Map<String, String> lambdaEnvironment(AwsLinkWorld world, String account) throws IOException {
        Map<String, String> environment = new HashMap<>();
        environment.put("RELAY_LINK_SPEC", specYaml(world.spec, account));
        environment.put("RELAY_LINK_TABLE", world.table);
        environment.put("EKS_CLUSTER_ENDPOINT", world.eks.client.getMasterUrl().toString());
        environment.put("EKS_CLUSTER_CA", Base64.getEncoder().encodeToString(Pem.write(world.pki.serverCa.certificate()).getBytes(StandardCharsets.US_ASCII)));
        // Neither measured event probes the gateway: a probe would fail loudly on this closed port.
        environment.put("RELAY_GATEWAY_ADDRESS", "127.0.0.1:9");
        environment.put("RELAY_CLIENT_CA_SECRET_ID", world.link.settings().clientCaSecretId());
        return environment;
    }

    /**
     * The world's spec as the YAML a deployed function reads: examples/link.yaml in the emulator's
     * region and account with the world's name, secret and CA key. Its NLB stays the example's: the emulator
     * returns NLB ARNs in the application form, which the spec reader rightly refuses, and the
     * measured events never touch the NLB.
     */
    private static String specYaml(LinkSpec spec, String account) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        String example = Files.readString(CloudFormationTemplate.repositoryRoot().resolve("examples/link.yaml"))
                .replace("eu-west-1", spec.aws().region()).replace(AwsLinkWorld.ACCOUNT, account);
        ObjectNode document = (ObjectNode) yaml.readTree(example);
        document.put("name", spec.name());
        ObjectNode aws = (ObjectNode) document.get("aws");
        aws.put("serverCertSecretId", spec.aws().serverCertSecretId());
        aws.put("serverCaKeyId", spec.aws().serverCaKeyId());
        return yaml.writeValueAsString(document);
    }

    /** A sample event with a fresh id (EventBridge gives every event its own), in the emulator's region and account. */
    private static Path eventFile(Path work, String name, String account) throws IOException {
        Path file = work.resolve(UUID.randomUUID() + "-" + name);
        Files.writeString(file, AwsLinkWorld.fresh(AwsLinkWorld.event(name)).toString().replace(AwsLinkWorld.ACCOUNT, account));
        return file;
    }

    /** @param millis launch to handled; initMillis launch to the handler built (its static init: spec, clients) */
    private record Launch(long millis, long initMillis, String result, String heapMb) {
    }

    /** Launches a fresh JVM and measures from just before the launch to the HANDLED time it prints. */
    private static Launch launch(String classpath, String mainClass, List<String> args, Map<String, String> environment)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_LIKE_JVM);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);

        long launched = System.currentTimeMillis();
        Process process = builder.start();
        long handled = -1;
        long constructed = -1;
        String result = "";
        String heap = "";
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("CONSTRUCTED ")) {
                    constructed = Long.parseLong(line.substring(12).trim());
                } else if (line.startsWith("HANDLED ")) {
                    handled = Long.parseLong(line.substring(8).trim());
                } else if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                } else if (line.startsWith("HEAP_MB ")) {
                    heap = line.substring(8);
                } else if (output.size() < 200) {
                    output.add(line);
                }
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(mainClass + " did not finish in 120 s");
        }
        if (process.exitValue() != 0 || handled < 0) {
            throw new IllegalStateException(mainClass + " " + args + " failed (exit " + process.exitValue() + "):\n" + String.join("\n", output));
        }
        return new Launch(handled - launched, constructed < 0 ? -1 : constructed - launched, result, heap);
    }

    /** This probe and the hello world only, so the child's classpath is the zip plus two classes. */
    private static Path probeClasses(Path directory) throws IOException {
        for (Class<?> type : List.of(FirstEventProbe.class, HelloProbe.class)) {
            String resource = type.getName().replace('.', '/') + ".class";
            Path target = directory.resolve(resource);
            Files.createDirectories(target.getParent());
            try (var in = ColdStartBenchmark.class.getClassLoader().getResourceAsStream(resource)) {
                Files.copy(in, target);
            }
        }
        return directory;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
