package dev.relaylink.cli;

import dev.relaylink.usecase.WorkloadRevocation;
import dev.relaylink.operate.LinkPreview;
import dev.relaylink.operate.LinkSide;
import dev.relaylink.operate.LinkStatus;
import dev.relaylink.operate.StatusPages;
import dev.relaylink.pki.SpiffeId;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.spec.SpecException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * The three subcommands on a {@link LinkConnection}: parse, read (plan and status only observe),
 * print. The planning and the status model are the core's; this class only chooses and prints.
 */
public final class OperatorCommands {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int CHANGES_PENDING = 2;

    private final Function<Options, LinkConnection> connect;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    public OperatorCommands(Function<Options, LinkConnection> connect, PrintStream out, PrintStream err, Clock clock) {
        this.connect = connect;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** Runs one command line; returns the exit code. Errors are printed on {@code err}, never thrown. */
    public int run(List<String> args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            err.println("relay-link: " + e.getMessage());
            err.print(Options.USAGE);
            return ERROR;
        }
        try (LinkConnection link = connect.apply(options)) {
            return switch (options.command()) {
                case "plan" -> plan(link, options);
                case "status" -> status(link, options);
                case "revoke" -> revoke(link, options);
                default -> throw new IllegalStateException("unparsed subcommand " + options.command());
            };
        } catch (SpecException e) {
            err.println("relay-link: the link spec is not valid:\n" + e.getMessage());
            return ERROR;
        } catch (RuntimeException | IOException e) {
            err.println("relay-link " + options.command() + " failed: " + describe(e));
            return ERROR;
        }
    }

    private int plan(LinkConnection link, Options options) {
        List<LinkPreview.SidePreview> previews = LinkPreview.preview(link.spec(), link.sides(options.side()), clock.instant());
        out.print(LinkPreview.text(link.spec().name(), previews));
        return LinkPreview.actions(previews).isEmpty() ? OK : CHANGES_PENDING;
    }

    private int status(LinkConnection link, Options options) throws IOException {
        List<LinkSide> sides = link.sides(options.side());
        var now = clock.instant();
        LinkStatus status = LinkStatus.of(link.spec(), sides, LinkPreview.preview(link.spec(), sides, now), now);
        if (options.html().isPresent()) {
            Files.writeString(options.html().get(), StatusPages.html(status));
            err.println("relay-link: status page written to " + options.html().get());
        }
        out.print(options.json() ? StatusPages.json(status) : StatusPages.text(status));
        return OK;
    }

    private int revoke(LinkConnection link, Options options) {
        LinkSpec spec = link.spec();
        String[] name = options.workload().orElseThrow().split("/", 2);
        LinkSpec.Workload workload = spec.workloads().stream()
                .filter(w -> w.namespace().equals(name[0]) && w.serviceAccount().equals(name[1])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("workload " + options.workload().get() + " is not in link " + spec.name()
                        + "; its workloads: " + spec.workloads().stream().map(w -> w.namespace() + "/" + w.serviceAccount()).toList()));
        SpiffeId id = workload.spiffeId(spec.trustDomain());
        WorkloadRevocation.Result result = link.revocation().revoke(id, link.requester(), options.reason());
        out.println("revoked " + id + (result.revokedSerial().map(s -> ": serial " + s).orElse(" (it had no certificate)"))
                + "; new certificate serial " + result.currentSerial() + " in Key Vault and " + workload.namespace() + "/"
                + workload.secretName() + "; asked by " + link.requester() + " (audit " + result.requestId() + ")");
        if (result.listedInCrl()) {
            out.println("the gateway's CRL (" + spec.relay().namespace() + "/" + spec.relay().crlSecret() + ") lists serial "
                    + result.revokedSerial().orElseThrow() + ": the gateway refuses the old certificate");
        } else if (result.revokedSerial().isPresent()) {
            out.println("note: the old certificate is NOT in the gateway's CRL yet; it is refused once this has run: " + result.waitingFor().orElseThrow());
        }
        return OK;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
            text.append(" <- ").append(cause.getMessage());
        }
        return text.toString();
    }
}
