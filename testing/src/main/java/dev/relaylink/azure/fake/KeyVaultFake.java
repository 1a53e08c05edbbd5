package dev.relaylink.azure.fake;

import static dev.relaylink.azure.fake.AzureFake.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relaylink.azure.fake.AzureFake.Request;
import dev.relaylink.azure.fake.AzureFake.Response;
import dev.relaylink.pki.Keys;
import dev.relaylink.pki.Pem;
import dev.relaylink.pki.PkiException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * Key Vault's data plane (REST API 7.x) for keys, secrets and certificates, as far as relay-link
 * uses it. Every write makes a new version (32 hex digits); reads without a version return the
 * latest. Keys are EC P-256 and sign with ES256 over a 32-byte digest, returning raw {@code r || s}
 * in base64url. Certificates are imported from PEM (PKCS#8 key plus chain) and, like Key Vault,
 * get a backing secret of the same name and version holding the PEM, with the key only when the
 * policy marks it exportable. Other Key Vault features answer 400 "not modelled".
 */
public final class KeyVaultFake {
    private static final String PEM = "application/x-pem-file";
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----.*?-----END \\1-----", Pattern.DOTALL);

    private record KeyVersion(String version, KeyPair pair, ArrayNode keyOps, long created) {
    }

    private record SecretVersion(String version, String value, String contentType, JsonNode tags, boolean managed, long created) {
    }

    private record CertificateVersion(String version, X509Certificate leaf, JsonNode policy, JsonNode tags, long created) {
    }

    private final String vaultUrl;
    private final Map<String, List<KeyVersion>> keys = new HashMap<>();
    /** Key versions disabled with a PATCH ({@code name/version}): they no longer sign. */
    private final java.util.Set<String> disabledKeys = new java.util.HashSet<>();
    private final Map<String, List<SecretVersion>> secrets = new HashMap<>();
    /** Certificates per list page, Key Vault's largest maxresults for them. */
    static final int LIST_PAGE = 25;
    private final Map<String, List<CertificateVersion>> certificates = new LinkedHashMap<>();

    KeyVaultFake(String vaultUrl) {
        this.vaultUrl = vaultUrl;
    }

    // ----- what tests read and seed -----

    /** The versions of a certificate, oldest first. */
    public synchronized List<String> certificateVersions(String name) {
        return certificates.getOrDefault(name, List.of()).stream().map(CertificateVersion::version).toList();
    }

    public synchronized List<String> secretVersions(String name) {
        return secrets.getOrDefault(name, List.of()).stream().map(SecretVersion::version).toList();
    }

    public synchronized List<String> keyVersions(String name) {
        return keys.getOrDefault(name, List.of()).stream().map(KeyVersion::version).toList();
    }

    /** Whether the key version is enabled (not disabled with a PATCH). */
    public synchronized boolean keyEnabled(String name, String version) {
        return !disabledKeys.contains(name + "/" + version);
    }

    public synchronized java.util.Set<String> keyNames() {
        return java.util.Set.copyOf(keys.keySet());
    }

    /** The latest value of a secret, as a test that looks inside the vault would see it. */
    public synchronized Optional<String> secretValue(String name) {
        return latest(secrets, name).map(SecretVersion::value);
    }

    /** The public half of the latest version of a key. */
    public synchronized Optional<ECPublicKey> publicKey(String name) {
        return latest(keys, name).map(k -> (ECPublicKey) k.pair().getPublic());
    }

    // ----- REST -----

    synchronized Response handle(Request request) {
        List<String> s = request.segments();
        String method = request.method();
        if (s.isEmpty()) {
            return notModelled(request);
        }
        return switch (s.get(0)) {
            case "keys" -> keys(method, s, request);
            case "secrets" -> secrets(method, s, request);
            case "certificates" -> certificates(method, s, request);
            default -> notModelled(request);
        };
    }

    private Response keys(String method, List<String> s, Request request) {
        if (s.size() == 3 && method.equals("POST") && s.get(2).equals("create")) {
            return createKey(s.get(1), request.body());
        }
        if ((s.size() == 2 || s.size() == 3) && method.equals("GET")) {
            return findKey(s.get(1), s.size() == 3 ? s.get(2) : null)
                    .map(k -> Response.ok(keyBundle(s.get(1), k)))
                    .orElseGet(() -> keyNotFound(s.get(1)));
        }
        if (s.size() == 4 && method.equals("POST") && s.get(3).equals("sign")) {
            return sign(s.get(1), s.get(2), request.body());
        }
        if (s.size() == 3 && method.equals("PATCH")) {
            Optional<KeyVersion> key = findKey(s.get(1), s.get(2));
            if (key.isEmpty()) {
                return keyNotFound(s.get(1));
            }
            JsonNode enabled = request.body().path("attributes").path("enabled");
            if (enabled.isBoolean()) {
                if (enabled.asBoolean()) {
                    disabledKeys.remove(s.get(1) + "/" + key.get().version());
                } else {
                    disabledKeys.add(s.get(1) + "/" + key.get().version());
                }
            }
            return Response.ok(keyBundle(s.get(1), key.get()));
        }
        return notModelled(request);
    }

    private Response createKey(String name, JsonNode body) {
        String kty = body.path("kty").asText();
        String crv = body.path("crv").asText();
        if (!kty.equals("EC") && !kty.equals("EC-HSM")) {
            return badParameter("The fake models EC keys only; kty was '" + kty + "'.");
        }
        if (!crv.equals("P-256")) {
            return badParameter("The fake models the P-256 curve only; crv was '" + crv + "'.");
        }
        ArrayNode ops = body.has("key_ops") ? (ArrayNode) body.get("key_ops") : JSON.arrayNode().add("sign").add("verify");
        KeyVersion key = new KeyVersion(newVersion(), Keys.generateP256(), ops, now());
        keys.computeIfAbsent(name, n -> new ArrayList<>()).add(key);
        return Response.ok(keyBundle(name, key));
    }

    private Response sign(String name, String version, JsonNode body) {
        Optional<KeyVersion> key = findKey(name, version);
        if (key.isEmpty()) {
            return keyNotFound(name);
        }
        if (disabledKeys.contains(name + "/" + key.get().version())) {
            return Response.error(403, "Forbidden", "Operation sign is not allowed on a disabled key.");
        }
        boolean maySign = false;
        for (JsonNode op : key.get().keyOps()) {
            maySign |= op.asText().equals("sign");
        }
        if (!maySign) {
            return Response.error(403, "Forbidden", "Operation \"sign\" is not allowed on this key.");
        }
        if (!body.path("alg").asText().equals("ES256")) {
            return badParameter("Algorithm '" + body.path("alg").asText() + "' is not valid for an EC P-256 key; use ES256.");
        }
        byte[] digest;
        try {
            digest = Base64.getUrlDecoder().decode(body.path("value").asText());
        } catch (IllegalArgumentException e) {
            return badParameter("The digest is not base64url.");
        }
        if (digest.length != 32) {
            return badParameter("Invalid digest length " + digest.length + " for ES256; expected 32 bytes (SHA-256).");
        }
        byte[] raw = rawSignature(key.get().pair().getPrivate(), digest);
        ObjectNode result = JSON.objectNode();
        result.put("kid", vaultUrl + "/keys/" + name + "/" + key.get().version());
        result.put("value", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        return Response.ok(result);
    }

    private Response secrets(String method, List<String> s, Request request) {
        if (s.size() == 2 && method.equals("PUT")) {
            JsonNode body = request.body();
            if (!body.hasNonNull("value")) {
                return badParameter("The secret value is required.");
            }
            SecretVersion secret = new SecretVersion(newVersion(), body.get("value").asText(),
                    body.path("contentType").isMissingNode() ? null : body.get("contentType").asText(),
                    body.path("tags"), false, now());
            secrets.computeIfAbsent(s.get(1), n -> new ArrayList<>()).add(secret);
            return Response.ok(secretBundle(s.get(1), secret));
        }
        if ((s.size() == 2 || s.size() == 3) && method.equals("GET")) {
            return find(secrets, s.get(1), s.size() == 3 ? s.get(2) : null, SecretVersion::version)
                    .map(secret -> Response.ok(secretBundle(s.get(1), secret)))
                    .orElseGet(() -> Response.error(404, "SecretNotFound", "A secret with (name/id) " + s.get(1)
                            + " was not found in this key vault."));
        }
        return notModelled(request);
    }

    private Response certificates(String method, List<String> s, Request request) {
        if (s.size() == 1 && method.equals("GET")) {
            // Key Vault lists certificates in pages (maxresults at most 25) linked by nextLink.
            List<String> names = new ArrayList<>(certificates.keySet());
            int from = Integer.parseInt(request.query().getOrDefault("$skiptoken", "0"));
            ArrayNode items = JSON.arrayNode();
            names.subList(Math.min(from, names.size()), Math.min(from + LIST_PAGE, names.size()))
                    .forEach(name -> items.add(certificateItem(name, certificates.get(name).get(certificates.get(name).size() - 1))));
            ObjectNode page = page(items);
            if (from + LIST_PAGE < names.size()) {
                page.put("nextLink", vaultUrl + "/certificates?api-version=" + request.query().get("api-version") + "&$skiptoken=" + (from + LIST_PAGE));
            }
            return Response.ok(page);
        }
        if (s.size() == 3 && method.equals("POST") && s.get(2).equals("import")) {
            return importCertificate(s.get(1), request.body());
        }
        if (s.size() == 3 && method.equals("GET") && s.get(2).equals("versions")) {
            ArrayNode items = JSON.arrayNode();
            certificates.getOrDefault(s.get(1), List.of()).forEach(c -> items.add(certificateItem(s.get(1), c)));
            return Response.ok(page(items));
        }
        if ((s.size() == 2 || s.size() == 3) && method.equals("GET")) {
            return find(certificates, s.get(1), s.size() == 3 ? s.get(2) : null, CertificateVersion::version)
                    .map(c -> Response.ok(certificateBundle(s.get(1), c)))
                    .orElseGet(() -> Response.error(404, "CertificateNotFound", "A certificate with (name/id) " + s.get(1)
                            + " was not found in this key vault."));
        }
        return notModelled(request);
    }

    private Response importCertificate(String name, JsonNode body) {
        JsonNode policy = body.path("policy");
        String contentType = policy.path("secret_props").path("contentType").asText("application/x-pkcs12");
        if (!contentType.equals(PEM)) {
            return badParameter("The fake imports PEM only (policy secret_props.contentType " + PEM + "); got " + contentType + ".");
        }
        String pem = body.path("value").asText();
        StringBuilder keyPem = new StringBuilder();
        StringBuilder chainPem = new StringBuilder();
        Matcher block = PEM_BLOCK.matcher(pem);
        while (block.find()) {
            (block.group(1).endsWith("PRIVATE KEY") ? keyPem : chainPem).append(block.group()).append('\n');
        }
        PrivateKey key;
        List<X509Certificate> chain;
        try {
            key = Pem.readPrivateKey(keyPem.toString());
            chain = Pem.readCertificates(chainPem.toString());
        } catch (PkiException e) {
            return badParameter("The specified PEM X.509 certificate content is in an unexpected format: " + e.getMessage());
        }
        if (!matches(key, chain.get(0))) {
            return badParameter("Private key specified in the certificate content does not match the public key of the certificate.");
        }
        boolean exportable = policy.path("key_props").path("exportable").asBoolean(false);
        String version = newVersion();
        ObjectNode storedPolicy = policy.deepCopy();
        storedPolicy.put("id", vaultUrl + "/certificates/" + name + "/policy");
        certificates.computeIfAbsent(name, n -> new ArrayList<>())
                .add(new CertificateVersion(version, chain.get(0), storedPolicy, body.path("tags"), now()));
        // Key Vault keeps the key and chain in a secret of the same name and version; a key that is
        // not exportable never appears there.
        String secretValue = (exportable ? Pem.write(key) : "") + Pem.write(chain);
        secrets.computeIfAbsent(name, n -> new ArrayList<>()).add(new SecretVersion(version, secretValue, PEM, body.path("tags"), true, now()));
        return Response.ok(certificateBundle(name, certificates.get(name).get(certificates.get(name).size() - 1)));
    }

    // ----- JSON shapes -----

    private ObjectNode keyBundle(String name, KeyVersion key) {
        ECPublicKey pub = (ECPublicKey) key.pair().getPublic();
        ObjectNode bundle = JSON.objectNode();
        ObjectNode jwk = bundle.putObject("key");
        jwk.put("kid", vaultUrl + "/keys/" + name + "/" + key.version());
        jwk.put("kty", "EC");
        jwk.set("key_ops", key.keyOps());
        jwk.put("crv", "P-256");
        jwk.put("x", base64Url(unsigned(pub.getW().getAffineX())));
        jwk.put("y", base64Url(unsigned(pub.getW().getAffineY())));
        ObjectNode attributes = attributes(key.created());
        attributes.put("enabled", !disabledKeys.contains(name + "/" + key.version()));
        bundle.set("attributes", attributes);
        return bundle;
    }

    private ObjectNode secretBundle(String name, SecretVersion secret) {
        ObjectNode bundle = JSON.objectNode();
        bundle.put("value", secret.value());
        if (secret.contentType() != null) {
            bundle.put("contentType", secret.contentType());
        }
        bundle.put("id", vaultUrl + "/secrets/" + name + "/" + secret.version());
        bundle.set("attributes", attributes(secret.created()));
        if (secret.tags().isObject()) {
            bundle.set("tags", secret.tags());
        }
        if (secret.managed()) {
            bundle.put("kid", vaultUrl + "/keys/" + name + "/" + secret.version());
            bundle.put("managed", true);
        }
        return bundle;
    }

    private ObjectNode certificateItem(String name, CertificateVersion certificate) {
        ObjectNode item = JSON.objectNode();
        item.put("id", vaultUrl + "/certificates/" + name + "/" + certificate.version());
        item.put("x5t", base64Url(sha1(certificate.leaf())));
        item.set("attributes", certificateAttributes(certificate));
        if (certificate.tags().isObject()) {
            item.set("tags", certificate.tags());
        }
        return item;
    }

    private ObjectNode certificateBundle(String name, CertificateVersion certificate) {
        ObjectNode bundle = certificateItem(name, certificate);
        bundle.put("kid", vaultUrl + "/keys/" + name + "/" + certificate.version());
        bundle.put("sid", vaultUrl + "/secrets/" + name + "/" + certificate.version());
        try {
            bundle.put("cer", Base64.getEncoder().encodeToString(certificate.leaf().getEncoded()));
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        bundle.set("policy", certificate.policy());
        return bundle;
    }

    private ObjectNode certificateAttributes(CertificateVersion certificate) {
        ObjectNode attributes = attributes(certificate.created());
        attributes.put("nbf", certificate.leaf().getNotBefore().toInstant().getEpochSecond());
        attributes.put("exp", certificate.leaf().getNotAfter().toInstant().getEpochSecond());
        return attributes;
    }

    private static ObjectNode attributes(long created) {
        ObjectNode attributes = JSON.objectNode();
        attributes.put("enabled", true);
        attributes.put("created", created);
        attributes.put("updated", created);
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        return attributes;
    }

    private static ObjectNode page(ArrayNode items) {
        ObjectNode page = JSON.objectNode();
        page.set("value", items);
        page.putNull("nextLink");
        return page;
    }

    // ----- helpers -----

    private Optional<KeyVersion> findKey(String name, String version) {
        return find(keys, name, version, KeyVersion::version);
    }

    private static <T> Optional<T> find(Map<String, List<T>> store, String name, String version,
                                        java.util.function.Function<T, String> versionOf) {
        if (version == null || version.isEmpty()) {
            return latest(store, name);
        }
        return store.getOrDefault(name, List.of()).stream().filter(v -> versionOf.apply(v).equals(version)).findFirst();
    }

    private static <T> Optional<T> latest(Map<String, List<T>> store, String name) {
        List<T> versions = store.getOrDefault(name, List.of());
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    private static Response keyNotFound(String name) {
        return Response.error(404, "KeyNotFound", "A key with (name/id) " + name + " was not found in this key vault.");
    }

    private static Response badParameter(String message) {
        return Response.error(400, "BadParameter", message);
    }

    private static Response notModelled(Request request) {
        return badParameter("The Key Vault fake does not model " + request.method() + " " + request.path() + ".");
    }

    private static String newVersion() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** ECDSA over a digest the caller already hashed (NONEwithECDSA), re-encoded from DER to r || s. */
    private static byte[] rawSignature(PrivateKey key, byte[] digest) {
        try {
            Signature signature = Signature.getInstance("NONEwithECDSA");
            signature.initSign(key);
            signature.update(digest);
            ASN1Sequence der = ASN1Sequence.getInstance(signature.sign());
            byte[] raw = new byte[64];
            copyFixed(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), raw, 0);
            copyFixed(ASN1Integer.getInstance(der.getObjectAt(1)).getValue(), raw, 32);
            return raw;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        try {
            byte[] probe = UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signer.sign());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void copyFixed(BigInteger value, byte[] out, int offset) {
        byte[] bytes = unsigned(value);
        System.arraycopy(bytes, 0, out, offset + 32 - bytes.length, bytes.length);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == 33 && bytes[0] == 0) {
            return java.util.Arrays.copyOfRange(bytes, 1, 33);
        }
        if (bytes.length < 32) {
            byte[] padded = new byte[32];
            System.arraycopy(bytes, 0, padded, 32 - bytes.length, bytes.length);
            return padded;
        }
        return bytes;
    }

    private static byte[] sha1(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
