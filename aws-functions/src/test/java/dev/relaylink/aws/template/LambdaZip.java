package dev.relaylink.aws.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The deployment zip as Lambda unpacks it: classes at the root, dependency jars in lib/. */
public final class LambdaZip {
    private LambdaZip() {
    }

    public static Path built() {
        String configured = System.getProperty("relaylink.deploymentZip");
        Path zip = configured != null ? Path.of(configured)
                : CloudFormationTemplate.repositoryRoot().resolve("aws-functions/target/relay-link-aws-functions.zip");
        return zip.toAbsolutePath().normalize();
    }

    public static List<String> entries(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            List<String> names = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
                names.add(e.nextElement().getName());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + zip, e);
        }
    }

    public static long uncompressedBytes(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.stream().mapToLong(ZipEntry::getSize).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + zip, e);
        }
    }

    /** Unpacks the zip into {@code directory} (like Lambda's /var/task) and returns its classpath: the root, then every lib/ jar. */
    public static List<Path> unpack(Path zip, Path directory) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("zip entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        List<Path> classpath = new ArrayList<>();
        classpath.add(root);
        Path lib = root.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(classpath::add);
            }
        }
        return classpath;
    }
}
