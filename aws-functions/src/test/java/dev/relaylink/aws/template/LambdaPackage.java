package dev.relaylink.aws.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What `mvn package` builds for Lambda: the function zip of the AWS function set (classes at the
 * root, relay-link's shared jar in lib/) and its layers (jars in java/lib/), and how Lambda lays
 * them out in a container: the function zip in /var/task, every layer in /opt.
 */
public record LambdaPackage(Path function, List<Path> layers) {
    /** The layers template.yaml gives every function, in the order Maven builds them. */
    public static final List<String> LAYER_NAMES = List.of("relay-link-layer-aws-ec2", "relay-link-layer-aws-sdk", "relay-link-layer-libs");

    public LambdaPackage {
        layers = List.copyOf(layers);
    }

    /** The package Maven built (paths from the build's system properties, else aws-functions/target). */
    public static LambdaPackage built() {
        Path target = CloudFormationTemplate.repositoryRoot().resolve("aws-functions/target");
        String function = System.getProperty("relaylink.deploymentZip");
        String layers = System.getProperty("relaylink.layerZips");
        return new LambdaPackage(
                (function != null ? Path.of(function) : target.resolve("relay-link-aws-functions.zip")).toAbsolutePath().normalize(),
                (layers != null ? Arrays.stream(layers.split(",")).map(String::trim).map(Path::of)
                        : LAYER_NAMES.stream().map(n -> target.resolve(n + ".zip"))).map(p -> p.toAbsolutePath().normalize()).toList());
    }

    /** The function zip, then the layers. */
    public List<Path> artifacts() {
        List<Path> all = new ArrayList<>();
        all.add(function);
        all.addAll(layers);
        return all;
    }

    /** Lambda's /var/task and /opt of one container. */
    public record Unpacked(Path task, Path opt) {
        /**
         * The class path the Java runtime gives the function's class loader, in its order: the task
         * root, the task's lib/*.jar, then the layers' java/lib/*.jar, each sorted by name.
         */
        public List<Path> classpath() {
            List<Path> classpath = new ArrayList<>();
            classpath.add(task);
            classpath.addAll(jars(task.resolve("lib")));
            classpath.addAll(jars(opt.resolve("java/lib")));
            return classpath;
        }

        public static List<Path> jars(Path directory) {
            if (!Files.isDirectory(directory)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(directory)) {
                return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Unpacks the function zip into {@code directory}/task and every layer, in order, into {@code directory}/opt. */
    public Unpacked unpack(Path directory) throws IOException {
        Path task = directory.resolve("task").toAbsolutePath().normalize();
        Path opt = directory.resolve("opt").toAbsolutePath().normalize();
        unzip(function, task);
        for (Path layer : layers) {
            unzip(layer, opt);
        }
        return new Unpacked(task, opt);
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

    /** The file names of the jars a zip holds, wherever they are in it. */
    public static List<String> jarNames(Path zip) {
        return entries(zip).stream().filter(e -> e.endsWith(".jar")).map(e -> e.substring(e.lastIndexOf('/') + 1)).toList();
    }

    public static long uncompressedBytes(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.stream().mapToLong(ZipEntry::getSize).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + zip, e);
        }
    }

    private static void unzip(Path zip, Path directory) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        Files.createDirectories(root);
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
    }
}
