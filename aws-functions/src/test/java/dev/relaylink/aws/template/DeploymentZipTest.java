package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zip `mvn package` builds, checked after it is built (failsafe, integration-test phase): the
 * layout Lambda's Java runtime loads, every handler of template.yaml inside it, one HTTP client
 * per SDK and nothing shaded.
 */
class DeploymentZipTest {
    /** Lambda's limit for a function's unpacked code (the 50 MB limit applies to direct uploads only). */
    private static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1024 * 1024;

    private final Path zip = LambdaZip.built();
    private final CloudFormationTemplate template = CloudFormationTemplate.ofRepository();

    @Test
    void itHasLambdasJavaLayout() throws Exception {
        assertThat(zip).exists();
        List<String> entries = LambdaZip.entries(zip);
        for (String entry : entries) {
            boolean ownClass = entry.startsWith("dev/relaylink/aws/");
            boolean dependencyJar = entry.startsWith("lib/") && (entry.equals("lib/") || (entry.endsWith(".jar") && entry.indexOf('/', 4) < 0));
            boolean metadata = entry.startsWith("META-INF/") || entry.equals("dev/") || entry.equals("dev/relaylink/");
            boolean resource = !entry.contains("/") && !entry.endsWith(".class");
            assertThat(ownClass || dependencyJar || metadata || resource)
                    .as("%s: only this module's classes at the root and dependency jars in lib/ (nothing shaded)", entry).isTrue();
        }
        assertThat(entries).noneMatch(e -> e.startsWith("dev/relaylink/aws/template/") || e.startsWith("dev/relaylink/aws/testing/"));
        assertThat(entries).anyMatch(e -> e.matches("lib/relay-link-shared-.*\\.jar"));
        assertThat(LambdaZip.uncompressedBytes(zip)).isLessThan(LAMBDA_UNZIPPED_LIMIT);
        System.out.printf(Locale.ROOT, "deployment zip %s: %.1f MB, %.1f MB unpacked, %d jars%n", zip.getFileName(),
                Files.size(zip) / 1e6, LambdaZip.uncompressedBytes(zip) / 1e6, entries.stream().filter(e -> e.endsWith(".jar")).count());
    }

    @Test
    void itCarriesNoNettyApacheOrOkHttpClient() {
        List<String> jars = LambdaZip.entries(zip).stream().filter(e -> e.endsWith(".jar")).map(e -> e.substring(4).toLowerCase(Locale.ROOT)).toList();
        assertThat(jars).isNotEmpty().noneMatch(j -> j.startsWith("netty") || j.startsWith("apache-client") || j.startsWith("apache5-client")
                || j.startsWith("httpclient") || j.startsWith("httpcore") || j.startsWith("okhttp") || j.startsWith("vertx")
                || j.startsWith("kubernetes-httpclient-vertx") || j.startsWith("kubernetes-httpclient-okhttp") || j.startsWith("aws-crt"));
        assertThat(jars).anyMatch(j -> j.startsWith("url-connection-client-")).anyMatch(j -> j.startsWith("kubernetes-httpclient-jdk-"));
    }

    @Test
    void everyHandlerLoadsFromTheUnpackedZipAlone(@TempDir Path task) throws Exception {
        List<Path> classpath = LambdaZip.unpack(zip, task);
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            urls.add(p.toUri().toURL());
        }
        // Parent: the platform loader, so nothing from the test classpath can stand in for a missing jar.
        try (URLClassLoader lambda = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, lambda);
            Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, lambda);
            for (var function : template.resources("AWS::Serverless::Function").entrySet()) {
                String handler = template.functionProperty(function.getValue(), "Handler").asText();
                Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")), false, lambda);
                assertThat(streamHandler).as(handler).isAssignableFrom(type);
                assertThat(type.getMethod(handler.substring(handler.indexOf("::") + 2),
                        java.io.InputStream.class, java.io.OutputStream.class, context)).isNotNull();
            }
        }
    }
}
