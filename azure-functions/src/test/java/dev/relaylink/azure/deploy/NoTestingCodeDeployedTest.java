package dev.relaylink.azure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.testing.TestingModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The doubles, stand-ins and fakes (relay-link-testing) are a test-scoped dependency of this module:
 * after `mvn package` (failsafe), the function app package the Functions host loads holds none of
 * their classes and none of the jars only they need.
 */
class NoTestingCodeDeployedTest {
    private final Path staging = Path.of(System.getProperty("relaylink.functions.staging", "target/azure-functions/relay-link-functions"));

    @Test
    void noClassOfTheTestingModuleIsInTheFunctionAppPackage() throws IOException {
        Set<String> testing = TestingModule.classFiles();
        assertThat(testing).contains("dev/relaylink/azure/fake/AzureFake.class", "dev/relaylink/azure/emulator/Azurite.class",
                "dev/relaylink/testing/MockCluster.class", "dev/relaylink/testing/RelayClient.class");
        List<Path> jars = jars();
        assertThat(jars).as("the app jar and its lib/").anyMatch(j -> j.getFileName().toString().startsWith("relay-link-shared-"));
        for (Path jar : jars) {
            assertThat(TestingModule.classFiles(jar)).as(jar.getFileName().toString()).doesNotContainAnyElementsOf(testing);
        }
    }

    @Test
    void noJarOfTheTestingModuleOrOnlyItNeedsIsPackaged() throws IOException {
        assertThat(jars()).extracting(j -> j.getFileName().toString())
                .noneMatch(j -> j.startsWith("relay-link-testing-") || j.startsWith("kubernetes-server-mock-")
                        || j.startsWith("mockwebserver-") || j.startsWith("json-schema-validator-"));
    }

    /** The jars of the staged package: the app's own at its root, its dependencies in lib/. */
    private List<Path> jars() throws IOException {
        assertThat(staging).as("the staging folder written by azure-functions:package").isDirectory();
        List<Path> jars = new ArrayList<>();
        for (Path dir : List.of(staging, staging.resolve("lib"))) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
        }
        return jars;
    }
}
