package dev.relaylink.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line, parsed and checked before anything is read: {@code relay-link <plan|status|revoke> [options]}.
 * Every option takes a value except the flags; an unknown option, a missing value or an option that
 * the subcommand does not take is an error.
 */
public record Options(String command, Optional<Path> spec, Side side, boolean json, Optional<Path> html, Optional<String> workload,
                      String reason, Map<String, String> values) {

    public enum Side {
        AWS, AZURE, BOTH;

        public boolean aws() {
            return this != AZURE;
        }

        public boolean azure() {
            return this != AWS;
        }
    }

    /** Options that name where the clouds and clusters are; each subcommand takes these. */
    static final Set<String> CONNECTION = Set.of("--eks-context", "--aks-context", "--kubeconfig", "--aws-table", "--vault-url",
            "--azure-table-uri", "--azure-state-table", "--server-ca-secret");

    public static final String USAGE = """
            usage: relay-link plan   [--spec link.yaml] [--side aws|azure|both] [connection options]
                   relay-link status [--spec link.yaml] [--side aws|azure|both] [--json] [--html FILE] [connection options]
                   relay-link revoke --workload NAMESPACE/SERVICEACCOUNT [--reason TEXT] [--spec link.yaml] [connection options]
            connection options (credentials always come from the standard chains; nothing is stored):
              --eks-context NAME       kubeconfig context of the EKS cluster (AWS side)
              --aks-context NAME       kubeconfig context of the AKS cluster (Azure side)
              --kubeconfig FILE        kubeconfig file (default: KUBECONFIG or ~/.kube/config)
              --aws-table NAME         the AWS side's state table (default: <link name>-state)
              --vault-url URL          the Key Vault (default: from the spec's keyVault.name)
              --azure-table-uri URL    the Table service holding the Azure side's event claims (events are not read without it)
              --azure-state-table NAME the table in it (default: relaylinkstate)
              --server-ca-secret NAME  the Key Vault secret mirroring the server CAs (default: relay-link-server-ca-certificates)
            exit codes: 0 nothing to do (plan) or done, 2 plan has actions, 1 error
            """;

    public Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }

    public static Options parse(List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("no subcommand");
        }
        String command = args.get(0);
        Set<String> allowed = switch (command) {
            case "plan" -> Set.of("--spec", "--side");
            case "status" -> Set.of("--spec", "--side", "--json", "--html");
            case "revoke" -> Set.of("--spec", "--workload", "--reason");
            default -> throw new UsageException("unknown subcommand '" + command + "'");
        };
        Map<String, String> values = new HashMap<>();
        boolean json = false;
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        for (int i = 0; i < rest.size(); i++) {
            String option = rest.get(i);
            if (!allowed.contains(option) && !CONNECTION.contains(option)) {
                throw new UsageException("'" + command + "' does not take " + option);
            }
            if (option.equals("--json")) {
                json = true;
                continue;
            }
            if (i + 1 >= rest.size() || rest.get(i + 1).startsWith("--")) {
                throw new UsageException(option + " needs a value");
            }
            if (values.put(option, rest.get(++i)) != null) {
                throw new UsageException(option + " given twice");
            }
        }
        Side side = switch (values.getOrDefault("--side", command.equals("revoke") ? "azure" : "both")) {
            case "aws" -> Side.AWS;
            case "azure" -> Side.AZURE;
            case "both" -> Side.BOTH;
            default -> throw new UsageException("--side must be aws, azure or both, not '" + values.get("--side") + "'");
        };
        Optional<String> workload = Optional.ofNullable(values.get("--workload"));
        if (command.equals("revoke")) {
            String name = workload.orElseThrow(() -> new UsageException("revoke needs --workload NAMESPACE/SERVICEACCOUNT"));
            if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?")) {
                throw new UsageException("--workload must be NAMESPACE/SERVICEACCOUNT, not '" + name + "'");
            }
        }
        String reason = values.getOrDefault("--reason", "revoked by an operator");
        if (reason.length() > 500 || reason.chars().anyMatch(Character::isISOControl)) {
            throw new UsageException("--reason must be one line of at most 500 characters");
        }
        return new Options(command, Optional.ofNullable(values.get("--spec")).map(Path::of), side, json,
                Optional.ofNullable(values.get("--html")).map(Path::of), workload, reason, Map.copyOf(values));
    }

    /** A command line that cannot run: nothing was read or changed. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
