package dev.relaylink.aws.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.testing.TestingModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doubles, stand-ins and fakes (relay-link-testing) are a test-scoped dependency of this module:
 * after `mvn package` (failsafe), neither the function zip nor a layer holds one of their classes or
 * the jars only they need.
 */
class NoTestingCodeDeployedTest {
    private final LambdaPackage built = LambdaPackage.built();

    @Test
    void noClassOfTheTestingModuleIsInTheFunctionZipOrALayer(@TempDir Path work) throws IOException {
        Set<String> testing = TestingModule.classFiles();
        assertThat(testing).contains("dev/relaylink/testing/InMemoryClouds.class", "dev/relaylink/testing/RelayGateway.class",
                "dev/relaylink/testing/InMemorySigner.class", "dev/relaylink/testing/InMemoryLinkLock.class",
                "dev/relaylink/aws/testing/Ec2ConnectionStub.class");
        for (Path entry : built.unpack(work).classpath()) {
            assertThat(TestingModule.classFiles(entry)).as(entry.getFileName().toString()).doesNotContainAnyElementsOf(testing);
        }
    }

    @Test
    void noJarOfTheTestingModuleOrOnlyItNeedsIsPackaged() {
        for (Path artifact : built.artifacts()) {
            assertThat(LambdaPackage.jarNames(artifact)).as(artifact.getFileName().toString())
                    .noneMatch(j -> j.startsWith("relay-link-testing-") || j.startsWith("kubernetes-server-mock-")
                            || j.startsWith("mockwebserver-") || j.startsWith("json-schema-validator-"));
        }
    }
}
