package dev.relaylink.cli;

import dev.relaylink.audit.JsonLines;
import java.time.Clock;
import java.util.List;

/** {@code relay-link}: the operator's command (see {@link Options#USAGE}). */
public final class RelayLinkCommand {
    private RelayLinkCommand() {
    }

    public static void main(String[] args) {
        Clock clock = Clock.systemUTC();
        // The audit record of a revocation goes to stdout as one JSON line, the form both sides' logs hold.
        JsonLines audit = JsonLines.stdout();
        int code = new OperatorCommands(options -> new CloudConnection(options, System.getenv(), clock, audit), System.out, System.err, clock)
                .run(List.of(args));
        System.exit(code);
    }
}
