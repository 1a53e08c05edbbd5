package dev.relaylink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.spec.LinkSpecReader;
import org.junit.jupiter.api.Test;

class TestSpecsTest {
    @Test
    void theSpecBuiltInCodeIsTheDocumentedExample() {
        assertThat(TestSpecs.example()).isEqualTo(LinkSpecReader.readResource("examples/link.yaml"));
    }
}
