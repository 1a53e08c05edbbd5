package dev.relaylink.spec;

/**
 * One problem in a link spec: the dotted path of the offending key ({@code workloads[1].namespace})
 * and the reason. The path is empty for problems with the document as a whole (size, YAML syntax).
 */
public record SpecError(String path, String message) {

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
