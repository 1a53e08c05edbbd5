package dev.relaylink.aws;

import dev.relaylink.spec.LinkSpec;
import java.util.Map;

/** Where a deployed function finds its link spec: YAML in {@code RELAY_LINK_SPEC}, or a file named by {@code RELAY_LINK_SPEC_FILE}. */
final class LinkSpecSource {
    static final String SPEC_VARIABLE = "RELAY_LINK_SPEC";
    static final String SPEC_FILE_VARIABLE = "RELAY_LINK_SPEC_FILE";

    private LinkSpecSource() {
    }

    static LinkSpec read(Map<String, String> environment) {
        throw new UnsupportedOperationException("the YAML spec reader is not merged yet");
    }
}
