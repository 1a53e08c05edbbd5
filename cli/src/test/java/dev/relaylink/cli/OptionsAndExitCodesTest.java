package dev.relaylink.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaylink.audit.AuditLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: what it accepts, and that a bad one exits 1 before anything is read or built. */
class OptionsAndExitCodesTest {
    @TempDir
    Path dir;

    private final AtomicInteger connections = new AtomicInteger();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new OperatorCommands(options -> {
            connections.incrementAndGet();
            throw new AssertionError("a bad command line must not connect");
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC())
                .run(List.of(args));
    }

    @Test
    void badCommandLinesExitOneWithTheReasonAndTheUsageAndConnectNowhere() {
        assertThat(run()).isEqualTo(OperatorCommands.ERROR);
        assertThat(run("apply")).isEqualTo(OperatorCommands.ERROR);
        assertThat(run("plan", "--side", "gcp")).isEqualTo(OperatorCommands.ERROR);
        assertThat(run("plan", "--json")).isEqualTo(OperatorCommands.ERROR);
        assertThat(run("status", "--html")).isEqualTo(OperatorCommands.ERROR);
        assertThat(run("revoke")).isEqualTo(OperatorCommands.ERROR);
        assertThat(run("revoke", "--workload", "payments")).isEqualTo(OperatorCommands.ERROR);
        assertThat(run("revoke", "--workload", "payments/checkout", "--reason", "two\nlines")).isEqualTo(OperatorCommands.ERROR);
        assertThat(run("plan", "--spec", "a.yaml", "--spec", "b.yaml")).isEqualTo(OperatorCommands.ERROR);
        assertThat(connections).hasValue(0);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("relay-link: no subcommand", "unknown subcommand 'apply'",
                "--side must be aws, azure or both, not 'gcp'", "'plan' does not take --json", "--html needs a value",
                "revoke needs --workload", "--workload must be NAMESPACE/SERVICEACCOUNT, not 'payments'", "--reason must be one line",
                "--spec given twice", "usage: relay-link plan");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void optionsParseToWhatEachSubcommandUses() {
        Options plan = Options.parse(List.of("plan", "--spec", "link.yaml", "--side", "aws", "--eks-context", "prod-eks"));
        assertThat(plan.side()).isEqualTo(Options.Side.AWS);
        assertThat(plan.spec()).contains(Path.of("link.yaml"));
        assertThat(plan.value("--eks-context")).contains("prod-eks");
        assertThat(Options.parse(List.of("status", "--json", "--html", "s.html")).html()).contains(Path.of("s.html"));
        assertThat(Options.parse(List.of("status")).side()).isEqualTo(Options.Side.BOTH);
        Options revoke = Options.parse(List.of("revoke", "--workload", "payments/checkout"));
        assertThat(revoke.side()).isEqualTo(Options.Side.AZURE);
        assertThat(revoke.reason()).isEqualTo("revoked by an operator");
        assertThatThrownBy(() -> Options.parse(List.of("revoke", "--workload", "payments/checkout", "--side", "aws")))
                .isInstanceOf(Options.UsageException.class);
    }

    @Test
    void aMissingOrInvalidSpecExitsOneAndSaysWhy() throws Exception {
        OperatorCommands commands = new OperatorCommands(options -> new CloudConnection(options, Map.of(), Clock.systemUTC(), new AuditLog.InMemory()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC());
        assertThat(commands.run(List.of("plan", "--spec", dir.resolve("absent.yaml").toString()))).isEqualTo(OperatorCommands.ERROR);
        Path broken = Files.writeString(dir.resolve("link.yaml"), "name: x\nrelay: {}\n");
        assertThat(commands.run(List.of("plan", "--spec", broken.toString()))).isEqualTo(OperatorCommands.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no link spec at " + dir.resolve("absent.yaml"), "the link spec is not valid");
    }

    @Test
    void aSideWithoutItsKubeconfigContextIsAnErrorNamingTheOption() throws Exception {
        Path spec = Path.of("../examples/link.yaml");
        OperatorCommands commands = new OperatorCommands(options -> new CloudConnection(options, Map.of(), Clock.systemUTC(), new AuditLog.InMemory()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC());
        assertThat(commands.run(List.of("plan", "--spec", spec.toString(), "--side", "aws"))).isEqualTo(OperatorCommands.ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the EKS side needs --eks-context NAME");
    }

    @Test
    void theRequesterIsTheAzureTokensIdentityOrElseTheOsUser() {
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"oid\":\"1111\",\"upn\":\"ops@example.com\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(Requester.fromToken("e30." + claims + ".sig")).contains("ops@example.com");
        String app = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"appid\":\"app-1\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(Requester.fromToken("e30." + app + ".sig")).contains("app-1");
        assertThat(Requester.fromToken("not-a-jwt")).isEmpty();
        assertThat(Requester.of(request -> { throw new IllegalStateException("no credential available"); }))
                .isEqualTo("os-user:" + System.getProperty("user.name"));
    }
}
