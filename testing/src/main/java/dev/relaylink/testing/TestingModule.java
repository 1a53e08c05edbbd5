package dev.relaylink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The class files of this module (relay-link-testing), so a packaging test can prove that none of the
 * doubles, stand-ins or fakes is deployed: the function modules use it in test scope only.
 */
public final class TestingModule {
    private TestingModule() {
    }

    /** Every class file this module's jar (or classes directory, in a reactor build) holds, as a path like {@code dev/relaylink/testing/TestPki.class}. */
    public static Set<String> classFiles() {
        try {
            Path location = Path.of(TestingModule.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new TreeSet<>(classFiles(location));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the relay-link-testing classes", e);
        }
    }

    /** The class files of a jar or a class path directory. */
    public static List<String> classFiles(Path jarOrDirectory) {
        if (Files.isDirectory(jarOrDirectory)) {
            try (Stream<Path> files = Files.walk(jarOrDirectory)) {
                return files.filter(p -> p.toString().endsWith(".class"))
                        .map(p -> jarOrDirectory.relativize(p).toString().replace('\\', '/')).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + jarOrDirectory, e);
            }
        }
        try (ZipFile jar = new ZipFile(jarOrDirectory.toFile())) {
            return jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jarOrDirectory, e);
        }
    }
}
