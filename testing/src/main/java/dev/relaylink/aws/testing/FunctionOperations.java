package dev.relaylink.aws.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IAM actions each function's handler used across the test run, as lines {@code <handler class>\t<action>}
 * in the file the build names ({@code relaylink.functionOperations}, see aws-functions/pom.xml). The
 * surefire run starts it afresh ({@code relaylink.functionOperations.fresh}) and writes it; the failsafe
 * run adds to it, and its FunctionPermissionsTest reads it and compares with the roles in template.yaml.
 */
public final class FunctionOperations {
    public static final String FILE_PROPERTY = "relaylink.functionOperations";
    /** Set for the first test JVM of a build: its first record replaces what an earlier build left. */
    public static final String FRESH_PROPERTY = "relaylink.functionOperations.fresh";
    // SDK v2 service names -> IAM service prefixes (the operation names equal the IAM action names for every call relay-link makes).
    private static final Map<String, String> IAM_PREFIX = Map.of(
            "Ec2", "ec2", "ElasticLoadBalancingV2", "elasticloadbalancing", "SecretsManager", "secretsmanager",
            "Kms", "kms", "DynamoDb", "dynamodb", "Sts", "sts", "Sqs", "sqs", "Sns", "sns");
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private static boolean started;

    private FunctionOperations() {
    }

    static String iamAction(String sdkService, String operation) {
        String prefix = IAM_PREFIX.get(sdkService);
        if (prefix == null) {
            throw new IllegalStateException("no IAM prefix known for SDK service " + sdkService + ": add it to FunctionOperations");
        }
        return prefix + ":" + operation;
    }

    static synchronized void record(String handler, String action) {
        String line = handler + "\t" + action;
        if (!SEEN.add(line)) {
            return;
        }
        Path file = file();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!started && Boolean.getBoolean(FRESH_PROPERTY)) {
                Files.deleteIfExists(file);
            }
            started = true;
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** What the last test run recorded: handler class -> IAM actions. */
    public static Map<String, Set<String>> read() throws IOException {
        Map<String, Set<String>> byHandler = new TreeMap<>();
        for (String line : Files.readAllLines(file(), StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                byHandler.computeIfAbsent(line.substring(0, tab), h -> new TreeSet<>()).add(line.substring(tab + 1));
            }
        }
        return byHandler;
    }

    public static Path file() {
        return Path.of(System.getProperty(FILE_PROPERTY, "target/function-operations.tsv"));
    }
}
