package dev.relaylink.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The openssl command line as an outside peer: checks what relay-link issues and serves. */
public final class OpenSsl {
    public record Result(int exitCode, String output) {
    }

    private OpenSsl() {
    }

    public static boolean available() {
        return run("version").exitCode() == 0;
    }

    public static Result run(String... arguments) {
        return runWithInput(null, arguments);
    }

    /** Runs openssl with {@code input} on its standard input (e.g. a request for s_client), bounded to 20 s. */
    public static Result runWithInput(String input, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
