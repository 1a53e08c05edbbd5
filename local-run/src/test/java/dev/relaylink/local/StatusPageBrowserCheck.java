package dev.relaylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Opens the status page in a real headless browser (Debian's chromium) where one is installed:
 * the DOM it builds holds the tables, and it renders a screenshot of the page. Skipped, saying so,
 * where chromium is not on the machine (scripts/test does not install it: that needs root and apt).
 */
final class StatusPageBrowserCheck {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("RELAY_LINK_CHROMIUM", "/usr/bin/chromium"));

    private StatusPageBrowserCheck() {
    }

    static void ifChromiumPresent(Path page, Path workDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("StatusPageBrowserCheck: skipped, no chromium at " + CHROMIUM);
            return;
        }
        String dom = chromium(workDir, "--dump-dom", page.toUri().toString());
        assertThat(dom).contains("<h2>Certificates (3)</h2>", "<h2>Dead letters (7)</h2>", "<td class=\"yes\">yes</td>");
        Path png = workDir.resolve("status.png");
        chromium(workDir, "--window-size=1400,1800", "--hide-scrollbars", "--screenshot=" + png, page.toUri().toString());
        var image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG screenshot").isNotNull();
        assertThat(image.getWidth()).isEqualTo(1400);
        // not a blank page: the rendered text makes many distinct colours
        assertThat(distinctColours(image)).isGreaterThan(20);
    }

    /** Runs chromium headless with a fresh profile and no background connections; returns what it printed on stdout. */
    static String chromium(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(workDir, "chromium-profile")));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(workDir.resolve("chromium.log").toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 60 s");
        }
        assertThat(process.exitValue()).as("chromium exit; its log: " + Files.readString(workDir.resolve("chromium.log"))).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int distinctColours(java.awt.image.BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
