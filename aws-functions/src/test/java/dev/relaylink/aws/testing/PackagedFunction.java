package dev.relaylink.aws.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.relaylink.aws.adapter.AwsClients;
import dev.relaylink.aws.adapter.Ec2EndpointService;
import dev.relaylink.aws.template.CloudFormationTemplate;
import dev.relaylink.aws.template.LambdaPackage;
import dev.relaylink.pki.Pem;
import dev.relaylink.spec.LinkSpec;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The AWS function set as Lambda runs it, on this machine: the package Maven built, unpacked like a
 * container's /var/task and /opt, run by fresh C1-only JVMs (Lambda's java21 runtime flags) with the
 * environment template.yaml gives a function, pointed at an {@link AwsFunctionsWorld}. Each launch builds
 * one handler the way the runtime does and hands it one event ({@link FirstEventProbe}).
 */
public final class PackagedFunction {
    /** Lambda's java21 runtime: C1 only, serial GC, CDS; heap about 85% of the function's 1024 MB. */
    public static final List<String> LAMBDA_JVM = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx870m");

    private final LambdaPackage.Unpacked unpacked;
    private final String systemClasspath;
    private final Map<String, String> environment;
    private final Path work;

    public PackagedFunction(LambdaPackage lambdaPackage, Path work, Map<String, String> environment) throws IOException {
        this.work = work;
        this.unpacked = lambdaPackage.unpack(work);
        this.environment = Map.copyOf(environment);
        // The runtime's own class path holds aws-lambda-java-core; the function's class loader delegates to it.
        Path core = LambdaPackage.Unpacked.jars(unpacked.opt().resolve("java/lib")).stream()
                .filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-core-")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no aws-lambda-java-core jar in the layers"));
        this.systemClasspath = probeJar(work.resolve("probe/relay-link-probes.jar")) + File.pathSeparator + core;
    }

    public LambdaPackage.Unpacked unpacked() {
        return unpacked;
    }

    /**
     * @param millis launch to the event handled
     * @param initMillis launch to the handler built (the runtime's init: spec, clients)
     * @param output what the JVM printed besides the probe's lines
     */
    public record Launch(long millis, long initMillis, String result, String heapMb, List<String> output) {
    }

    /** A fresh JVM that builds {@code handlerClass} and hands it the event in {@code event}. */
    public Launch firstEvent(String handlerClass, Path event, List<String> jvmOptions) throws IOException, InterruptedException {
        return launch(FirstEventProbe.class.getName(),
                List.of(unpacked.task().toString(), unpacked.opt().toString(), handlerClass, event.toString()), jvmOptions);
    }

    /** A fresh JVM that builds {@code handlerClass} and stops: the runtime's init phase alone. */
    public Launch init(String handlerClass, List<String> jvmOptions) throws IOException, InterruptedException {
        return launch(FirstEventProbe.class.getName(),
                List.of(unpacked.task().toString(), unpacked.opt().toString(), handlerClass, "-"), jvmOptions);
    }

    /** A fresh JVM that prints hello: the bare JVM start the cold start is compared with. */
    public long hello(List<String> jvmOptions) throws IOException, InterruptedException {
        return launch(HelloProbe.class.getName(), List.of(), jvmOptions).millis();
    }

    private Launch launch(String mainClass, List<String> args, List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_JVM);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(systemClasspath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(unpacked.task().toFile());
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
        return new Launch(handled - launched, constructed < 0 ? -1 : constructed - launched, result, heap, List.copyOf(output));
    }

    /** Writes {@code event} to a file of its own for one launch. */
    public Path eventFile(String name, String json) throws IOException {
        Path file = work.resolve(UUID.randomUUID() + "-" + name);
        Files.writeString(file, json);
        return file;
    }

    /** The emulator's own account: its ARNs carry it, and the handlers check events against the spec's. */
    public static String emulatorAccount(AwsFunctionsWorld world) {
        return world.aws.secretsManager().describeSecret(r -> r.secretId(world.spec.aws().serverCertSecretId())).arn().split(":")[4];
    }

    /** What template.yaml gives a function, pointing at {@code world} (its spec in the emulator's account). */
    public static Map<String, String> environment(AwsFunctionsWorld world) throws IOException {
        Map<String, String> environment = new HashMap<>();
        environment.put("RELAY_LINK_SPEC", specYaml(world.spec, emulatorAccount(world)));
        environment.put("RELAY_LINK_TABLE", world.table);
        environment.put("RELAY_LINK_FUNCTION_TIMEOUT", "60");
        environment.put("EKS_CLUSTER_ENDPOINT", world.eks.client.getMasterUrl().toString());
        environment.put("EKS_CLUSTER_CA", Base64.getEncoder().encodeToString(Pem.write(world.pki.serverCa.certificate()).getBytes(StandardCharsets.US_ASCII)));
        // No measured event probes the gateway: a probe would fail loudly on this closed port.
        environment.put("RELAY_GATEWAY_ADDRESS", "127.0.0.1:9");
        environment.put("RELAY_CLIENT_CA_SECRET_ID", world.link.settings().clientCaSecretId());
        // EC2 through the stub that answers the endpoint-connection calls the emulator lacks (and forwards the rest)
        environment.put(AwsClients.Service.EC2.endpointVariable(), world.ec2Stub.endpoint().toString());
        return environment;
    }

    /**
     * The world's spec as the YAML a deployed function reads: examples/link.yaml in the emulator's
     * region and account with the world's name, secret and CA key. Its NLB stays the example's: the
     * emulator returns NLB ARNs in the application form, which the spec reader rightly refuses, so
     * a packaged function is never pointed at the NLB.
     */
    private static String specYaml(LinkSpec spec, String account) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        String example = Files.readString(CloudFormationTemplate.repositoryRoot().resolve("examples/link.yaml"))
                .replace("eu-west-1", spec.aws().region()).replace(AwsFunctionsWorld.ACCOUNT, account);
        ObjectNode document = (ObjectNode) yaml.readTree(example);
        document.put("name", spec.name());
        ObjectNode aws = (ObjectNode) document.get("aws");
        aws.put("serverCertSecretId", spec.aws().serverCertSecretId());
        aws.put("serverCaKeyId", spec.aws().serverCaKeyId());
        return yaml.writeValueAsString(document);
    }

    /**
     * Only the probes, in a jar (a class path with a non-empty directory cannot have a CDS archive),
     * so the child's own class path is these two classes and aws-lambda-java-core.
     */
    private static Path probeJar(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> type : List.of(FirstEventProbe.class, HelloProbe.class)) {
                String resource = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(resource));
                try (InputStream in = PackagedFunction.class.getClassLoader().getResourceAsStream(resource)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * The link's endpoint service as an operator might have left it: tagged for the link but open
     * (no acceptance, anyone allowed) and on the emulator's NLB. A function run from the package
     * repairs it to the spec; the spec's NLB is the example's (see {@link #environment}), which the
     * emulator accepts on a modify but not on a create.
     */
    public static String seedOpenEndpointService(AwsFunctionsWorld world) {
        String serviceId = world.aws.ec2().createVpcEndpointServiceConfiguration(r -> r.acceptanceRequired(false)
                .networkLoadBalancerArns(world.network.loadBalancerArn())
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VPC_ENDPOINT_SERVICE)
                        .tags(Tag.builder().key(Ec2EndpointService.LINK_TAG).value(world.spec.name()).build()).build()))
                .serviceConfiguration().serviceId();
        world.aws.ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(serviceId).addAllowedPrincipals("*"));
        return serviceId;
    }
}
