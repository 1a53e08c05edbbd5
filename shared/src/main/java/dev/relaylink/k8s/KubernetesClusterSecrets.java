package dev.relaylink.k8s;

import dev.relaylink.pki.Certificates;
import dev.relaylink.pki.Credential;
import dev.relaylink.pki.TrustBundle;
import dev.relaylink.port.ClusterSecrets;
import dev.relaylink.state.SecretState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterSecrets} on the fabric8 client: one Secret per call, written only when
 * its data or relay-link's own labels and annotations differ, with optimistic concurrency
 * (resourceVersion) and a bounded retry on 409 Conflict. Labels and annotations of other owners
 * are kept; data keys are exactly the desired ones. Logs name objects and fingerprints, never data.
 */
public final class KubernetesClusterSecrets implements ClusterSecrets {
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "relay-link";
    public static final String ANNOTATION_PREFIX = "relay-link.dev/";
    public static final String SERIAL = ANNOTATION_PREFIX + "serial";
    public static final String NOT_AFTER = ANNOTATION_PREFIX + "not-after";
    public static final String FINGERPRINT = ANNOTATION_PREFIX + "fingerprint";
    public static final String BUNDLE_FINGERPRINTS = ANNOTATION_PREFIX + "bundle-fingerprints";
    public static final String TYPE_TLS = "kubernetes.io/tls";
    public static final String TYPE_OPAQUE = "Opaque";
    public static final int DEFAULT_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesClusterSecrets.class);
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final int CONFLICT = 409;
    /** Secrets per list page: a namespace's relay-link Secrets in a call or a few, each page a bounded response. */
    static final long LIST_PAGE = 250;

    private final KubernetesClient client;
    private final int maxAttempts;

    public KubernetesClusterSecrets(KubernetesClient client) {
        this(client, DEFAULT_ATTEMPTS);
    }

    /** @param maxAttempts writes tried per call before a run of 409 Conflicts becomes an error */
    public KubernetesClusterSecrets(KubernetesClient client, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.maxAttempts = maxAttempts;
    }

    /** The Secret's data hashes and leaf fingerprint; empty when there is no such Secret. */
    @Override
    public Optional<SecretState> observe(String namespace, String name) {
        requireNames(namespace, name);
        Secret secret = read(client.secrets(), "Secret", namespace, name);
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> hashes = new TreeMap<>();
        decoded(secret).forEach((key, value) -> hashes.put(key, SecretState.sha256Hex(value)));
        return Optional.of(new SecretState(namespace, name, hashes, annotation(secret, FINGERPRINT)));
    }

    /**
     * One list of the namespace's Secrets that carry relay-link's managed-by label (paged), instead of a read per name.
     * A Secret of one of these names without the label is not seen, so the next apply rewrites it and labels it.
     */
    @Override
    public Map<String, SecretState> observeAll(String namespace, Set<String> names) {
        names.forEach(name -> requireNames(namespace, name));
        Map<String, SecretState> found = new TreeMap<>();
        String next = null;
        do {
            var page = client.secrets().inNamespace(namespace).withLabel(MANAGED_BY_LABEL, MANAGED_BY)
                    .list(new ListOptionsBuilder().withLimit(LIST_PAGE).withContinue(next).build());
            for (Secret secret : page.getItems()) {
                String name = secret.getMetadata().getName();
                if (names.contains(name)) {
                    Map<String, String> hashes = new TreeMap<>();
                    decoded(secret).forEach((key, value) -> hashes.put(key, SecretState.sha256Hex(value)));
                    SecretState state = new SecretState(namespace, name, hashes, annotation(secret, FINGERPRINT));
                    found.put(state.key(), state);
                }
            }
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return found;
    }

    @Override
    public boolean applyTls(String namespace, String name, Credential credential, Optional<TrustBundle> trusted) {
        requireNames(namespace, name);
        requireKeyMatchesLeaf(credential);
        Map<String, byte[]> data = ClusterSecretData.tls(credential, trusted);
        X509Certificate leaf = credential.leaf();
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(SERIAL, Certificates.serialHex(leaf));
        annotations.put(NOT_AFTER, leaf.getNotAfter().toInstant().toString());
        annotations.put(FINGERPRINT, Certificates.fingerprint(leaf));
        trusted.ifPresent(bundle -> annotations.put(BUNDLE_FINGERPRINTS, String.join(",", bundle.fingerprints())));
        return applySecret(namespace, name, TYPE_TLS, data, annotations, "leaf serial " + Certificates.serialHex(leaf));
    }

    @Override
    public boolean applyCaBundle(String namespace, String name, TrustBundle bundle) {
        requireNames(namespace, name);
        Map<String, byte[]> data = ClusterSecretData.caBundle(bundle);
        Map<String, String> annotations = Map.of(BUNDLE_FINGERPRINTS, String.join(",", bundle.fingerprints()));
        return applySecret(namespace, name, TYPE_OPAQUE, data, annotations, bundle.certificates().size() + " CA(s)");
    }

    @Override
    public boolean applyRevocationList(String namespace, String name, String crlPem) {
        requireNames(namespace, name);
        dev.relaylink.pki.Pem.readRevocationList(crlPem); // refuse what Envoy Gateway would refuse, before writing
        return applySecret(namespace, name, TYPE_OPAQUE, ClusterSecretData.revocationList(crlPem), Map.of(), "revocation list");
    }

    private boolean applySecret(String namespace, String name, String type, Map<String, byte[]> data,
                                Map<String, String> annotations, String what) {
        Map<String, String> encoded = new TreeMap<>();
        data.forEach((key, value) -> encoded.put(key, Base64.getEncoder().encodeToString(value)));
        return apply(maxAttempts, client.secrets(), "Secret", namespace, name, annotations,
                current -> {
                    String currentType = current.getType() == null ? TYPE_OPAQUE : current.getType();
                    if (!currentType.equals(type)) {
                        // The type of a Secret is immutable: replacing it is a decision for an operator.
                        throw new ClusterException("Secret " + namespace + "/" + name + " exists with type " + currentType
                                + ", relay-link needs " + type + "; delete it or choose another name");
                    }
                    requireMutable(current.getImmutable(), "Secret", namespace, name);
                    return sameBytes(decoded(current), data);
                },
                (current, metadata) -> new SecretBuilder().withMetadata(metadata).withType(type).withData(encoded).build(),
                what);
    }

    /**
     * Read, compare, then create or update with the read resourceVersion. A 409 means someone wrote
     * in between (or created the object first): read again and decide again.
     *
     * Shared by relay-link's other cluster objects (the ClientTrafficPolicy, the NetworkPolicies).
     *
     * @param upToDate whether an existing object's data already is the desired data (may throw when it must not be touched)
     * @param build the object to write from the existing one (null when missing) and the metadata to give it
     */
    static <T extends HasMetadata> boolean apply(int maxAttempts, MixedOperation<T, ?, Resource<T>> api, String kind, String namespace,
                                                 String name, Map<String, String> annotations, Predicate<T> upToDate,
                                                 BiFunction<T, ObjectMeta, T> build, String what) {
        String ref = kind + " " + namespace + "/" + name;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            T current = read(api, kind, namespace, name);
            if (current != null && upToDate.test(current) && ownMetadataMatches(current.getMetadata(), annotations)) {
                LOG.debug("{} is up to date ({}): no write", ref, what);
                return false;
            }
            T desired = build.apply(current, metadata(current, namespace, name, annotations));
            try {
                if (current == null) {
                    api.inNamespace(namespace).resource(desired).create();
                    LOG.info("created {} ({})", ref, what);
                } else {
                    api.inNamespace(namespace).resource(desired).update();
                    LOG.info("updated {} ({}, was resourceVersion {})", ref, what, current.getMetadata().getResourceVersion());
                }
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != CONFLICT) {
                    throw new ClusterException("cannot " + (current == null ? "create " : "update ") + ref + ": HTTP "
                            + e.getCode() + " " + reason(e), e);
                }
                if (attempt < maxAttempts) {
                    LOG.warn("{} changed while relay-link wrote it (409 Conflict, attempt {} of {}); reading it again", ref, attempt, maxAttempts);
                    pause(attempt);
                }
            }
        }
        throw new ClusterException(ref + " kept changing under relay-link: " + maxAttempts
                + " attempts ended in 409 Conflict; nothing was written, retry later");
    }

    /** Copies existing metadata (resourceVersion included) so others' labels survive; relay-link's annotations are replaced. */
    private static ObjectMeta metadata(HasMetadata current, String namespace, String name, Map<String, String> annotations) {
        ObjectMeta metadata = current == null
                ? new ObjectMetaBuilder().withNamespace(namespace).withName(name).build()
                : new ObjectMetaBuilder(current.getMetadata()).build();
        Map<String, String> labels = new LinkedHashMap<>(nullToEmpty(metadata.getLabels()));
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        Map<String, String> merged = new LinkedHashMap<>(nullToEmpty(metadata.getAnnotations()));
        merged.keySet().removeIf(key -> key.startsWith(ANNOTATION_PREFIX));
        merged.putAll(annotations);
        metadata.setLabels(labels);
        metadata.setAnnotations(merged);
        return metadata;
    }

    private static boolean ownMetadataMatches(ObjectMeta metadata, Map<String, String> annotations) {
        Map<String, String> own = nullToEmpty(metadata.getAnnotations()).entrySet().stream()
                .filter(e -> e.getKey().startsWith(ANNOTATION_PREFIX))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return MANAGED_BY.equals(nullToEmpty(metadata.getLabels()).get(MANAGED_BY_LABEL)) && own.equals(annotations);
    }

    static <T extends HasMetadata> T read(MixedOperation<T, ?, Resource<T>> api, String kind, String namespace, String name) {
        try {
            return api.inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new ClusterException("cannot read " + kind + " " + namespace + "/" + name + ": HTTP " + e.getCode() + " " + reason(e), e);
        }
    }

    private static Map<String, byte[]> decoded(Secret secret) {
        Map<String, byte[]> data = new TreeMap<>();
        nullToEmpty(secret.getData()).forEach((key, value) -> data.put(key, Base64.getMimeDecoder().decode(value)));
        return data;
    }

    private static boolean sameBytes(Map<String, byte[]> a, Map<String, byte[]> b) {
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(key -> Arrays.equals(a.get(key), b.get(key)));
    }

    private static String annotation(HasMetadata object, String key) {
        return nullToEmpty(object.getMetadata().getAnnotations()).getOrDefault(key, "");
    }

    private static void requireMutable(Boolean immutable, String kind, String namespace, String name) {
        if (Boolean.TRUE.equals(immutable)) {
            throw new ClusterException(kind + " " + namespace + "/" + name
                    + " is marked immutable, so relay-link cannot update it; delete it to let relay-link recreate it");
        }
    }

    /** A key that does not belong to the leaf would make the gateway fail every handshake: refuse before writing. */
    private static void requireKeyMatchesLeaf(Credential credential) {
        byte[] probe = "relay-link key check".getBytes(StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(credential.key(), new SecureRandom());
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(credential.leaf().getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key cannot sign for " + credential + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("the private key does not belong to the leaf certificate of " + credential);
    }

    static void requireNames(String namespace, String name) {
        if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is not a DNS-1123 label");
        }
        if (name == null || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("name '" + name + "' is not a DNS-1123 subdomain");
        }
    }

    private static String reason(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : String.valueOf(e.getMessage());
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(10L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while retrying a conflicting write", e);
        }
    }

    private static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
        return map == null ? new HashMap<>() : map;
    }
}
