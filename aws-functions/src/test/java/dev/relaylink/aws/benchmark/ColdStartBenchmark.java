package dev.relaylink.aws.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.relaylink.aws.handler.HandlerResult;
import dev.relaylink.aws.handler.LoadBalancerDriftHandler;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the figures of the AWS deployment package: the zip's size, and the time from launching a
 * fresh C1-only JVM (as Lambda's java21 runtime runs) whose classpath is the unpacked zip to its
 * first handled event against the AWS emulator and a mock EKS API, next to a bare JVM hello world
 * launched the same way in the same run. The ratio is the figure that counts: it does not depend
 * on how fast this machine is. Run by scripts/benchmark (which builds the zip and starts the emulator).
 */
public final class ColdStartBenchmark {
    private static final int RUNS = Integer.getInteger("relaylink.benchmark.runs", 5);
    private static final Pattern ARN_ACCOUNT = Pattern.compile("arn:[^:]+:[^:]+:[^:]*:(\\d{12}):.*");
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
            Map<String, String> environment = lambdaEnvironment(world, work);
            String account = accountOf(world.spec.aws().nlb().loadBalancerArn());

            List<Long> hello = new ArrayList<>();
            List<Long> drift = new ArrayList<>();
            List<Long> scan = new ArrayList<>();
            String driftResult = "";
            String scanResult = "";
            String heap = "";
            for (int run = 0; run < RUNS; run++) {
                hello.add(launch(cp, HelloProbe.class.getName(), List.of(), environment).millis);

                deleteListener(world);
                Launch repair = launch(cp, FirstEventProbe.class.getName(),
                        List.of(LoadBalancerDriftHandler.class.getName(), eventFile(work, "cloudtrail-elb-delete-listener.json", account).toString()),
                        environment);
                drift.add(repair.millis);
                driftResult = repair.result;
                heap = repair.heapMb;

                Launch daily = launch(cp, FirstEventProbe.class.getName(),
                        List.of(ServerCertificateRotationHandler.class.getName(), eventFile(work, "scheduled-event.json", account).toString()),
                        environment);
                scan.add(daily.millis);
                scanResult = daily.result;
            }

            long helloMedian = median(hello);
            System.out.println();
            System.out.println("relay-link AWS deployment package (" + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores; child JVMs " + String.join(" ", LAMBDA_LIKE_JVM) + "; median of " + RUNS + ")");
            System.out.printf(Locale.ROOT, "  zip %s: %.1f MB (%.1f MB unpacked)%n", zip.getFileName(), Files.size(zip) / 1e6,
                    LambdaZip.uncompressedBytes(zip) / 1e6);
            System.out.printf(Locale.ROOT, "  bare JVM hello world, launch to main:            %5d ms  %s%n", helloMedian, hello);
            row("LoadBalancerDriftHandler, deleted listener (CloudTrail)", drift, helloMedian, driftResult);
            row("ServerCertificateRotationHandler, daily scan (schedule)", scan, helloMedian, scanResult);
            System.out.println("  heap in use after the first event: " + heap + " MB");
        }
    }

    private static void row(String name, List<Long> millis, long hello, String result) {
        long median = median(millis);
        System.out.printf(Locale.ROOT, "  %-56s %5d ms  %s  ratio %.1fx  -> %s%n", name + ", launch to handled:", median, millis,
                (double) median / hello, result);
    }

    /** The link's AWS half as the first reconcile leaves it: listener, targets, rules, CA, server cert, EKS secrets. */
    private static void bootstrap(AwsLinkWorld world) {
        HandlerResult network = world.invoke(new LoadBalancerDriftHandler(world.link), AwsLinkWorld.fresh(AwsLinkWorld.event("cloudwatch-alarm-unhealthy.json")));
        HandlerResult certificate = world.invoke(new ServerCertificateRotationHandler(world.link), AwsLinkWorld.fresh(AwsLinkWorld.event("scheduled-event.json")));
        if (network.rejected() || certificate.rejected()) {
            throw new IllegalStateException("bootstrap failed: " + network + " / " + certificate);
        }
    }

    private static void deleteListener(AwsLinkWorld world) {
        world.aws.elb().describeListeners(r -> r.loadBalancerArn(world.spec.aws().nlb().loadBalancerArn())).listeners()
                .forEach(l -> world.aws.elb().deleteListener(r -> r.listenerArn(l.listenerArn())));
    }

    /** What template.yaml gives a function, pointing at this world. */
    private static Map<String, String> lambdaEnvironment(AwsLinkWorld world, Path work) throws IOException {
        Map<String, String> environment = new HashMap<>();
        environment.put("RELAY_LINK_SPEC", specYaml(world.spec));
        environment.put("RELAY_LINK_TABLE", world.table);
        environment.put("EKS_CLUSTER_ENDPOINT", world.eks.client.getMasterUrl().toString());
        environment.put("EKS_CLUSTER_CA", Base64.getEncoder().encodeToString(Pem.write(world.pki.serverCa.certificate()).getBytes(StandardCharsets.US_ASCII)));
        // Neither measured event probes the gateway: a probe would fail loudly on this closed port.
        environment.put("RELAY_GATEWAY_ADDRESS", "127.0.0.1:9");
        environment.put("RELAY_CLIENT_CA_SECRET_ID", world.link.settings().clientCaSecretId());
        return environment;
    }

    /** The world's spec as the YAML a deployed function reads: examples/link.yaml with the world's AWS resources. */
    private static String specYaml(LinkSpec spec) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        ObjectNode document = (ObjectNode) yaml.readTree(CloudFormationTemplate.repositoryRoot().resolve("examples/link.yaml").toFile());
        document.put("name", spec.name());
        ObjectNode aws = (ObjectNode) document.get("aws");
        aws.put("region", spec.aws().region());
        aws.put("accountId", accountOf(spec.aws().nlb().loadBalancerArn()));
        ObjectNode nlb = (ObjectNode) aws.get("nlb");
        nlb.put("loadBalancerArn", spec.aws().nlb().loadBalancerArn());
        nlb.put("targetGroupArn", spec.aws().nlb().targetGroupArn());
        nlb.put("securityGroupId", spec.aws().nlb().securityGroupId());
        aws.put("serverCertSecretId", spec.aws().serverCertSecretId());
        aws.put("serverCaKeyId", spec.aws().serverCaKeyId());
        return yaml.writeValueAsString(document);
    }

    /** A sample event with a fresh id (EventBridge gives every event its own) in the world's account and region. */
    private static Path eventFile(Path work, String name, String account) throws IOException {
        ObjectNode event = AwsLinkWorld.fresh(AwsLinkWorld.event(name));
        event.put("account", account);
        Path file = work.resolve(UUID.randomUUID() + "-" + name);
        Files.writeString(file, new ObjectMapper().writeValueAsString(event).replace(AwsLinkWorld.ACCOUNT, account));
        return file;
    }

    private static String accountOf(String arn) {
        Matcher m = ARN_ACCOUNT.matcher(arn);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an ARN: " + arn);
        }
        return m.group(1);
    }

    private record Launch(long millis, String result, String heapMb) {
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
        String result = "";
        String heap = "";
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("HANDLED ")) {
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
        return new Launch(handled - launched, result, heap);
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
