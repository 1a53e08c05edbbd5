package dev.relaylink.aws;

import dev.relaylink.failure.ConfigurationFailure;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.LinkSpecReader;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a deployed function finds its link spec: the YAML itself in {@code RELAY_LINK_SPEC} (set by
 * template.yaml from a parameter), or a file named by {@code RELAY_LINK_SPEC_FILE}; a relative path is
 * resolved in the deployment package ({@code LAMBDA_TASK_ROOT}). Exactly one of them must be set.
 */
final class LinkSpecSource {
    static final String SPEC_VARIABLE = "RELAY_LINK_SPEC";
    static final String SPEC_FILE_VARIABLE = "RELAY_LINK_SPEC_FILE";
    static final String TASK_ROOT_VARIABLE = "LAMBDA_TASK_ROOT";

    private LinkSpecSource() {
    }

    static LinkSpec read(Map<String, String> environment) {
        String yaml = environment.get(SPEC_VARIABLE);
        String file = environment.get(SPEC_FILE_VARIABLE);
        boolean hasYaml = yaml != null && !yaml.isBlank();
        boolean hasFile = file != null && !file.isBlank();
        if (hasYaml == hasFile) {
            throw new ConfigurationFailure("set exactly one of " + SPEC_VARIABLE + " (the link spec YAML) and "
                    + SPEC_FILE_VARIABLE + " (a path to it)");
        }
        if (hasYaml) {
            return LinkSpecReader.read(yaml);
        }
        Path path = Path.of(file.trim());
        String root = environment.get(TASK_ROOT_VARIABLE);
        if (!path.isAbsolute() && root != null && !root.isBlank()) {
            path = Path.of(root).resolve(path);
        }
        return LinkSpecReader.read(path);
    }
}
