package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zips `mvn package` builds, checked after they are built (failsafe, integration-test phase):
 * the function zip holds relay-link's own code only, the layers hold every runtime jar exactly once
 * in the layout Lambda's Java runtime puts on the class path, each artifact fits a direct upload,
 * one HTTP client per SDK, nothing shaded, and every handler of template.yaml loads from the function
 * zip with its layers and nothing else.
 */
class DeploymentZipTest {
    /** Lambda's limit for one zip uploaded directly (function code or layer). */
    private static final long DIRECT_UPLOAD_LIMIT = 50L * 1000 * 1000;
    /** Lambda's limit for a function's code and all its layers, unzipped. */
    private static final long UNZIPPED_LIMIT = 250L * 1024 * 1024;
    private static final int LAYER_LIMIT = 5;

    private final LambdaPackage built = LambdaPackage.built();
    private final CloudFormationTemplate template = CloudFormationTemplate.ofRepository();

    @Test
    void theFunctionZipHoldsRelayLinksOwnCodeOnly() {
        List<String> entries = LambdaPackage.entries(built.function());
        for (String entry : entries) {
            boolean ownClass = entry.startsWith("dev/relaylink/aws/");
            boolean sharedJar = entry.equals("lib/") || entry.matches("lib/relay-link-shared-[^/]+\\.jar");
            boolean metadata = entry.startsWith("META-INF/") || entry.equals("dev/") || entry.equals("dev/relaylink/");
            boolean resource = !entry.contains("/") && !entry.endsWith(".class");
            assertThat(ownClass || sharedJar || metadata || resource)
                    .as("%s: only this module's classes at the root and relay-link's shared jar in lib/", entry).isTrue();
        }
        assertThat(entries).noneMatch(e -> e.startsWith("dev/relaylink/aws/template/") || e.startsWith("dev/relaylink/aws/testing/"));
        assertThat(entries).anyMatch(e -> e.matches("lib/relay-link-shared-.*\\.jar"))
                .anyMatch(e -> e.equals("dev/relaylink/aws/handler/ReconcileHandler.class"));
    }

    @Test
    void eachLayerHoldsJarsInJavaLibOnly() {
        for (Path layer : built.layers()) {
            List<String> entries = LambdaPackage.entries(layer);
            assertThat(entries).as(layer.getFileName().toString()).isNotEmpty().allSatisfy(entry -> assertThat(
                    entry.equals("java/") || entry.equals("java/lib/") || entry.matches("java/lib/[^/]+\\.jar"))
                    .as("%s in %s: Lambda puts java/lib/*.jar of a layer on the class path", entry, layer.getFileName()).isTrue());
        }
        // the EC2 SDK module is half of all the jars: it has a layer to itself
        assertThat(LambdaPackage.jarNames(layerNamed("relay-link-layer-aws-ec2"))).singleElement().asString().matches("ec2-[0-9.]+\\.jar");
        assertThat(LambdaPackage.jarNames(layerNamed("relay-link-layer-aws-sdk"))).allMatch(j -> !j.startsWith("kubernetes-") && !j.startsWith("bc"))
                .anyMatch(j -> j.startsWith("sdk-core-")).anyMatch(j -> j.startsWith("url-connection-client-"));
        assertThat(LambdaPackage.jarNames(layerNamed("relay-link-layer-libs"))).anyMatch(j -> j.startsWith("kubernetes-client-"))
                .anyMatch(j -> j.startsWith("bcpkix-")).anyMatch(j -> j.startsWith("jackson-databind-")).anyMatch(j -> j.startsWith("aws-lambda-java-core-"))
                .noneMatch(j -> j.startsWith("sdk-core-") || j.startsWith("relay-link-"));
    }

    @Test
    void theZipsHoldEveryRuntimeJarExactlyOnce() throws Exception {
        List<String> runtime = Arrays.stream(Files.readString(Path.of(System.getProperty("relaylink.runtimeClasspath",
                        built.function().resolveSibling("runtime-classpath.txt").toString()))).trim().split(File.pathSeparator))
                .map(p -> Path.of(p).getFileName().toString()).sorted().toList();
        Map<String, List<String>> holders = new TreeMap<>();
        for (Path artifact : built.artifacts()) {
            for (String jar : LambdaPackage.jarNames(artifact)) {
                holders.computeIfAbsent(jar, j -> new ArrayList<>()).add(artifact.getFileName().toString());
            }
        }
        assertThat(holders).allSatisfy((jar, in) -> assertThat(in).as(jar + " is in").hasSize(1));
        assertThat(holders.keySet()).containsExactlyElementsOf(runtime);
    }

    @Test
    void everyArtifactFitsADirectUploadAndAFunctionFitsLambdasLimits() {
        long unzipped = 0;
        for (Path artifact : built.artifacts()) {
            long size = sizeOf(artifact);
            long bytes = LambdaPackage.uncompressedBytes(artifact);
            unzipped += bytes;
            System.out.printf(Locale.ROOT, "%-36s %6.1f MB zipped, %6.1f MB unzipped, %2d jars%n", artifact.getFileName(), size / 1e6,
                    bytes / 1e6, LambdaPackage.jarNames(artifact).size());
            assertThat(size).as(artifact.getFileName() + " zipped").isLessThan(DIRECT_UPLOAD_LIMIT);
        }
        System.out.printf(Locale.ROOT, "function code and layers together: %.1f MB unzipped%n", unzipped / 1e6);
        assertThat(unzipped).as("function code and its layers, unzipped").isLessThan(UNZIPPED_LIMIT);
        assertThat(built.layers()).hasSizeLessThanOrEqualTo(LAYER_LIMIT);
    }

    @Test
    void itCarriesNoNettyApacheOrOkHttpClient() {
        List<String> jars = built.artifacts().stream().flatMap(a -> LambdaPackage.jarNames(a).stream()).map(j -> j.toLowerCase(Locale.ROOT)).toList();
        assertThat(jars).isNotEmpty().noneMatch(j -> j.startsWith("netty") || j.startsWith("apache-client") || j.startsWith("apache5-client")
                || j.startsWith("httpclient") || j.startsWith("httpcore") || j.startsWith("okhttp") || j.startsWith("vertx")
                || j.startsWith("kubernetes-httpclient-vertx") || j.startsWith("kubernetes-httpclient-okhttp") || j.startsWith("aws-crt"));
        assertThat(jars).anyMatch(j -> j.startsWith("url-connection-client-")).anyMatch(j -> j.startsWith("kubernetes-httpclient-jdk-"));
    }

    @Test
    void everyHandlerLoadsFromItsFunctionZipAndLayersAlone(@TempDir Path work) throws Exception {
        Map<String, Path> zipsByContentUri = new HashMap<>();
        template.resources("AWS::Serverless::LayerVersion").forEach((id, layer) ->
                zipsByContentUri.put(id, CloudFormationTemplate.repositoryRoot().resolve(layer.path("Properties").path("ContentUri").asText()).normalize()));
        for (var function : template.resources("AWS::Serverless::Function").entrySet()) {
            // the layers template.yaml gives this function, in its order, as Lambda would extract them into /opt
            List<Path> layers = new ArrayList<>();
            template.functionProperty(function.getValue(), "Layers").forEach(ref -> layers.add(zipsByContentUri.get(ref.path("Ref").asText())));
            assertThat(layers).as(function.getKey() + " layers").doesNotContainNull().isNotEmpty();
            LambdaPackage.Unpacked unpacked = new LambdaPackage(built.function(), layers).unpack(work.resolve(function.getKey()));
            List<URL> urls = new ArrayList<>();
            for (Path p : unpacked.classpath()) {
                urls.add(p.toUri().toURL());
            }
            // Parent: the platform loader, so nothing from the test class path can stand in for a missing jar.
            try (URLClassLoader lambda = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
                Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, lambda);
                Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, lambda);
                String handler = template.functionProperty(function.getValue(), "Handler").asText();
                // initialised, with its superclass, but not constructed: construction reads Lambda's environment
                Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")), true, lambda);
                assertThat(streamHandler).as(handler).isAssignableFrom(type);
                assertThat(type.getMethod(handler.substring(handler.indexOf("::") + 2),
                        java.io.InputStream.class, java.io.OutputStream.class, context)).isNotNull();
                // what the handlers' init builds: the composition root, the SDK clients, the fabric8 client
                for (String dependency : List.of("dev.relaylink.aws.AwsFunctions", "software.amazon.awssdk.services.ec2.Ec2Client",
                        "software.amazon.awssdk.services.kms.KmsClient", "io.fabric8.kubernetes.client.KubernetesClientBuilder",
                        "io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory", "org.bouncycastle.cert.X509v3CertificateBuilder")) {
                    assertThat(Class.forName(dependency, false, lambda).getClassLoader()).as(dependency).isSameAs(lambda);
                }
            }
        }
    }

    private Path layerNamed(String name) {
        return built.layers().stream().filter(p -> p.getFileName().toString().equals(name + ".zip")).findFirst()
                .orElseThrow(() -> new AssertionError("no layer " + name + " in " + built.layers()));
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
