package dev.relaylink.spec;

import static dev.relaylink.spec.SpecFormats.quote;
import static dev.relaylink.spec.YamlTree.child;
import static dev.relaylink.spec.YamlTree.item;

import dev.relaylink.pki.Durations;
import dev.relaylink.pki.CaGenerations;
import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.spec.SpecFormats.Check;
import dev.relaylink.spec.YamlTree.Kind;
import dev.relaylink.spec.YamlTree.Mapping;
import dev.relaylink.spec.YamlTree.Node;
import dev.relaylink.spec.YamlTree.Scalar;
import dev.relaylink.spec.YamlTree.Sequence;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link LinkSpec} from YAML (see examples/link.yaml) and validates all of it: every
 * problem is reported at once, each with its dotted path and reason, e.g.
 * {@code certificates.client.renewBefore: must be shorter than lifetime (90d)}. Unknown keys are
 * errors, so a misspelt key never silently falls back to nothing.
 */
public final class LinkSpecReader {
    /** A link spec is a page of YAML; anything near this size is a mistake or an attack. */
    public static final int MAX_BYTES = 1024 * 1024;

    private final List<SpecError> errors = new ArrayList<>();

    private LinkSpecReader() {
    }

    /** Reads and validates {@code yaml}; throws {@link SpecException} listing every problem. */
    public static LinkSpec read(String yaml) {
        return read(yaml, "<string>");
    }

    public static LinkSpec read(Path file) {
        String source = file.toString();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw tooLarge(source);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return read(in, source);
            }
        } catch (IOException e) {
            throw new SpecException(source, List.of(new SpecError("", "cannot read the file: " + e)));
        }
    }

    /** Reads a spec from the class path, e.g. {@code readResource("examples/link.yaml")}. */
    public static LinkSpec readResource(String name) {
        String source = "classpath:" + name;
        try (InputStream in = LinkSpecReader.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new SpecException(source, List.of(new SpecError("", "no such resource on the class path")));
            }
            return read(in, source);
        } catch (IOException e) {
            throw new SpecException(source, List.of(new SpecError("", "cannot read the resource: " + e)));
        }
    }

    private static LinkSpec read(InputStream in, String source) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(source);
        }
        try {
            String yaml = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return read(yaml, source);
        } catch (CharacterCodingException e) {
            throw new SpecException(source, List.of(new SpecError("", "the input is not UTF-8 text")));
        }
    }

    private static LinkSpec read(String yaml, String source) {
        // Characters never outnumber UTF-8 bytes, so the cheap length test goes first.
        if (yaml.length() > MAX_BYTES || yaml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw tooLarge(source);
        }
        LinkSpecReader reader = new LinkSpecReader();
        Node root = YamlTree.parse(yaml, source, reader.errors);
        LinkSpec spec = null;
        if (root == null) {
            reader.errors.add(new SpecError("", "the link spec is empty"));
        } else {
            spec = reader.linkSpec(root);
        }
        if (!reader.errors.isEmpty()) {
            throw new SpecException(source, reader.errors);
        }
        return spec;
    }

    private static SpecException tooLarge(String source) {
        return new SpecException(source, List.of(new SpecError("",
                "the input is larger than " + MAX_BYTES + " bytes (1 MiB), the limit for a link spec")));
    }

    // ---- the schema --------------------------------------------------------------------------

    private LinkSpec linkSpec(Node root) {
        Section spec = new Section("", root, "name", "trustDomain", "relay", "aws", "azure", "workloads", "certificates");
        String name = spec.text("name", SpecFormats::dnsLabel);
        String trustDomain = spec.text("trustDomain", SpecFormats::trustDomain);
        LinkSpec.Relay relay = relay(spec.section("relay", "namespace", "gatewayService", "hostName", "port",
                "tlsSecret", "clientCaSecret", "clientTrafficPolicy", "gateway", "listener", "crlSecret", "allowListConfigMap"));
        LinkSpec.Aws aws = aws(spec.section("aws", "region", "accountId", "eksCluster", "endpointService", "nlb",
                "serverCertSecretId", "serverCaKeyId"));
        LinkSpec.Azure azure = azure(spec.section("azure", "subscriptionId", "resourceGroup", "privateLinkService",
                "aksCluster", "allowedSubscriptions", "allowedVnets", "privateDns", "keyVault"));
        List<LinkSpec.Workload> workloads = workloads(spec);
        LinkSpec.CertificatePolicy certificates = certificates(spec.section("certificates", "server", "client", "caLifetime", "ca"));
        checkHostNameIsPublished(relay, azure);
        return new LinkSpec(name, relay, aws, azure, workloads, certificates, trustDomain);
    }

    private LinkSpec.Relay relay(Section s) {
        String namespace = s.text("namespace", SpecFormats::dnsLabel);
        String gatewayService = s.text("gatewayService", SpecFormats::serviceName);
        String hostName = s.text("hostName", SpecFormats::dnsName);
        Integer port = s.port("port");
        String tlsSecret = s.text("tlsSecret", SpecFormats::dnsSubdomain);
        String clientCaSecret = s.text("clientCaSecret", SpecFormats::dnsSubdomain);
        String clientTrafficPolicy = s.text("clientTrafficPolicy", SpecFormats::dnsSubdomain);
        String gateway = s.text("gateway", SpecFormats::dnsSubdomain);
        String listener = s.text("listener", SpecFormats::dnsSubdomain);
        String crlSecret = s.text("crlSecret", SpecFormats::dnsSubdomain);
        if (s.has("allowListConfigMap")) {
            // Envoy Gateway reads no ConfigMap: the allow-list is the ClientTrafficPolicy's SAN matchers now.
            error(child(s.path, "allowListConfigMap"), "is no longer read: relay-link writes the allowed SPIFFE IDs into the "
                    + "ClientTrafficPolicy named by relay.clientTrafficPolicy; remove this key and set clientTrafficPolicy");
        }
        // All live in the relay namespace: one name would make each write overwrite the other.
        java.util.Map<String, String> secretKeys = new java.util.LinkedHashMap<>();
        secretKeys.put("tlsSecret", tlsSecret);
        secretKeys.put("clientCaSecret", clientCaSecret);
        secretKeys.put("crlSecret", crlSecret);
        java.util.Map<String, String> seen = new HashMap<>();
        secretKeys.forEach((key, value) -> {
            String first = value == null ? null : seen.putIfAbsent(value, key);
            if (first != null) {
                error(child(s.path, key), "must differ from " + first + " (" + value + "): the gateway needs each Secret");
            }
        });
        return new LinkSpec.Relay(namespace, gatewayService, hostName, port == null ? 0 : port,
                tlsSecret, clientCaSecret, clientTrafficPolicy, gateway, listener, crlSecret);
    }

    private LinkSpec.Aws aws(Section s) {
        String region = s.text("region", SpecFormats::region);
        String accountId = s.text("accountId", SpecFormats::accountId);
        String eksCluster = s.text("eksCluster", SpecFormats::eksClusterName);
        Section es = s.section("endpointService", "name", "allowedPrincipals");
        LinkSpec.EndpointService endpointService = new LinkSpec.EndpointService(
                es.text("name", SpecFormats::tagValue),
                es.textSet("allowedPrincipals", "principal", SpecFormats::iamPrincipal));
        Section nlbSection = s.section("nlb", "loadBalancerArn", "targetGroupArn", "securityGroupId", "allowedSourceCidrs");
        LinkSpec.Nlb nlb = new LinkSpec.Nlb(
                nlbSection.text("loadBalancerArn", SpecFormats::loadBalancerArn),
                nlbSection.text("targetGroupArn", SpecFormats::targetGroupArn),
                nlbSection.text("securityGroupId", SpecFormats::securityGroupId),
                nlbSection.textSet("allowedSourceCidrs", "CIDR", SpecFormats::ipv4Cidr));
        String serverCertSecretId = s.text("serverCertSecretId", SpecFormats::secretsManagerName);
        String serverCaKeyId = s.text("serverCaKeyId", SpecFormats::kmsKeyId);
        // The NLB sits beside the endpoint service in the link's account and region: an ARN from
        // elsewhere is a copy-paste from another link. A CA key may be shared across accounts, not regions.
        checkArnScope(child(nlbSection.path, "loadBalancerArn"), nlb.loadBalancerArn(), SpecFormats.NLB_ARN, region, accountId);
        checkArnScope(child(nlbSection.path, "targetGroupArn"), nlb.targetGroupArn(), SpecFormats.TARGET_GROUP_ARN, region, accountId);
        checkArnScope(child(s.path, "serverCaKeyId"), serverCaKeyId, SpecFormats.KMS_KEY_ARN, region, null);
        return new LinkSpec.Aws(region, accountId, endpointService, nlb, serverCertSecretId, serverCaKeyId, eksCluster);
    }

    private void checkArnScope(String path, String arn, Pattern pattern, String region, String accountId) {
        Matcher m = arn == null ? null : pattern.matcher(arn);
        if (m == null || !m.matches()) {
            return;
        }
        if (region != null && !m.group(2).equals(region)) {
            error(path, "region " + m.group(2) + " differs from aws.region (" + region + ")");
        }
        if (accountId != null && !m.group(3).equals(accountId)) {
            error(path, "account " + m.group(3) + " differs from aws.accountId (" + accountId + ")");
        }
    }

    private LinkSpec.Azure azure(Section s) {
        // Subscription ids are GUIDs, kept in lower case (the form Azure Resource Manager returns);
        // resource ids compare case-insensitively, so VNet duplicates are found ignoring case.
        String subscriptionId = lowerCase(s.text("subscriptionId", SpecFormats::subscriptionId));
        String resourceGroup = s.text("resourceGroup", SpecFormats::resourceGroup);
        String privateLinkService = s.text("privateLinkService", SpecFormats::privateLinkService);
        String aksCluster = s.text("aksCluster", SpecFormats::aksClusterName);
        Map<String, String> subscriptions = s.distinct("allowedSubscriptions", "subscription", SpecFormats::subscriptionId, true);
        Set<String> allowedSubscriptions = subscriptions == null ? null : subscriptions.keySet().stream().map(LinkSpecReader::lowerCase)
                .collect(Collectors.collectingAndThen(Collectors.toCollection(LinkedHashSet::new), Collections::unmodifiableSet));
        Map<String, String> vnets = s.distinct("allowedVnets", "virtual network", SpecFormats::vnetId, true);
        if (allowedSubscriptions != null && vnets != null) {
            vnets.forEach((vnet, path) -> {
                Matcher m = SpecFormats.VNET_ID.matcher(vnet);
                if (m.matches() && !allowedSubscriptions.contains(lowerCase(m.group(1)))) {
                    error(path, "subscription " + m.group(1) + " is not in azure.allowedSubscriptions, so its private endpoints would be rejected");
                }
            });
        }
        Section dns = s.section("privateDns", "zone", "recordName");
        LinkSpec.PrivateDns privateDns = new LinkSpec.PrivateDns(dns.text("zone", SpecFormats::dnsName), dns.text("recordName", SpecFormats::recordName));
        Section keyVault = s.section("keyVault", "name", "clientCaKey");
        LinkSpec.KeyVault vault = new LinkSpec.KeyVault(keyVault.text("name", SpecFormats::keyVaultName),
                keyVault.text("clientCaKey", SpecFormats::keyVaultObjectName));
        return new LinkSpec.Azure(subscriptionId, resourceGroup, privateLinkService, allowedSubscriptions,
                vnets == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(vnets.keySet())),
                privateDns, vault, aksCluster);
    }

    private static String lowerCase(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    /** Pods call relay by {@code relay.hostName}; in AKS that name resolves only through the private DNS record. */
    private void checkHostNameIsPublished(LinkSpec.Relay relay, LinkSpec.Azure azure) {
        if (relay == null || azure == null || relay.hostName() == null || azure.privateDns().zone() == null
                || azure.privateDns().recordName() == null) {
            return;
        }
        String record = azure.privateDns().recordName();
        String published = record.equals("@") ? azure.privateDns().zone() : record + "." + azure.privateDns().zone();
        if (!published.equals(relay.hostName())) {
            error("relay.hostName", quote(relay.hostName()) + " is not the name azure.privateDns publishes (" + published + ")");
        }
    }

    private List<LinkSpec.Workload> workloads(Section spec) {
        List<Item> items = spec.list("workloads", "workload");
        if (items == null) {
            return null;
        }
        List<LinkSpec.Workload> workloads = new ArrayList<>();
        Map<String, String> byIdentity = new HashMap<>();
        Map<String, String> bySecret = new HashMap<>();
        Map<String, String> byKeyVaultName = new HashMap<>();
        for (Item it : items) {
            Section w = new Section(it.path, it.node, "namespace", "serviceAccount", "secretName", "podSelector");
            LinkSpec.Workload workload = new LinkSpec.Workload(
                    w.text("namespace", SpecFormats::dnsLabel),
                    w.text("serviceAccount", SpecFormats::dnsSubdomain),
                    w.text("secretName", SpecFormats::dnsSubdomain),
                    w.labels("podSelector"));
            workloads.add(workload);
            if (workload.namespace() == null || workload.serviceAccount() == null) {
                continue;
            }
            String identity = workload.namespace() + "/" + workload.serviceAccount();
            String first = byIdentity.putIfAbsent(identity, it.path);
            if (first != null) {
                error(it.path, "duplicate of " + first + " (" + identity + ")");
                continue;
            }
            // Key Vault names allow no dots, so a.b and a-b map to one certificate: they would overwrite each other.
            String keyVaultName = workload.keyVaultCertificateName();
            if (keyVaultName.length() > 127) {
                error(child(it.path, "serviceAccount"), "makes the Key Vault certificate name longer than 127 characters");
            } else if ((first = byKeyVaultName.putIfAbsent(keyVaultName, it.path)) != null) {
                error(child(it.path, "serviceAccount"), "Key Vault certificate name " + keyVaultName + " is already used by " + first);
            }
            if (workload.secretName() != null
                    && (first = bySecret.putIfAbsent(workload.namespace() + "/" + workload.secretName(), it.path)) != null) {
                error(child(it.path, "secretName"), quote(workload.secretName()) + " is already used by " + first
                        + " in namespace " + workload.namespace());
            }
        }
        return List.copyOf(workloads);
    }

    private LinkSpec.CertificatePolicy certificates(Section s) {
        Duration caLifetime = s.duration("caLifetime");
        RenewalPolicy server = renewalPolicy(s.section("server", "lifetime", "renewBefore"), caLifetime);
        RenewalPolicy client = renewalPolicy(s.section("client", "lifetime", "renewBefore"), caLifetime);
        RenewalPolicy ca = caRenewal(s.section("ca", "renewBefore"), caLifetime, server, client);
        return new LinkSpec.CertificatePolicy(server, client, caLifetime, ca);
    }

    /**
     * The CA's renewal window must hold a whole leaf lifetime plus the time a new CA needs to reach
     * every bundle on both clouds ({@link CaGenerations#BUNDLE_TRAVEL}): leaves then always get their
     * full lifetime from a CA that outlives them. At most half the CA lifetime, so that the previous
     * generation has expired (and left every bundle) before the next one is created: never more than
     * two generations are trusted at once.
     */
    private RenewalPolicy caRenewal(Section s, Duration caLifetime, RenewalPolicy server, RenewalPolicy client) {
        String renewBefore = s.text("renewBefore", v -> null);
        if (caLifetime == null || renewBefore == null) {
            return null;
        }
        String path = child(s.path, "renewBefore");
        RenewalPolicy policy;
        if (renewBefore.endsWith("%")) {
            Integer percent = parsePercent(renewBefore.substring(0, renewBefore.length() - 1));
            if (percent == null || percent < 1 || percent > 99) {
                error(path, quote(renewBefore) + " is not a percentage between 1% and 99%");
                return null;
            }
            policy = RenewalPolicy.percent(caLifetime, percent);
        } else {
            Duration before = parseDuration(path, renewBefore);
            if (before == null) {
                return null;
            }
            if (before.compareTo(caLifetime) >= 0) {
                error(path, "must be shorter than caLifetime (" + Durations.format(caLifetime) + ")");
                return null;
            }
            policy = RenewalPolicy.before(caLifetime, before);
        }
        Duration window = policy.window(caLifetime);
        Duration longestLeaf = java.util.stream.Stream.of(server, client).filter(java.util.Objects::nonNull)
                .map(RenewalPolicy::lifetime).max(Duration::compareTo).orElse(Duration.ZERO);
        Duration needed = longestLeaf.plus(CaGenerations.BUNDLE_TRAVEL);
        if (window.compareTo(needed) <= 0) {
            error(path, "must be longer than the longest leaf lifetime plus the bundle travel time ("
                    + Durations.format(longestLeaf) + " + " + Durations.format(CaGenerations.BUNDLE_TRAVEL) + "), is " + Durations.format(window));
            return null;
        }
        if (window.multipliedBy(2).compareTo(caLifetime) > 0) {
            error(path, "must be at most half of caLifetime (" + Durations.format(caLifetime.dividedBy(2))
                    + ") so that at most two CA generations are trusted at once, is " + Durations.format(window));
            return null;
        }
        return policy;
    }

    private RenewalPolicy renewalPolicy(Section s, Duration caLifetime) {
        Duration lifetime = s.duration("lifetime");
        String renewBefore = s.text("renewBefore", v -> null);
        if (lifetime != null && caLifetime != null && lifetime.compareTo(caLifetime) > 0) {
            error(child(s.path, "lifetime"), "must not be longer than caLifetime (" + Durations.format(caLifetime) + ")");
        }
        if (lifetime == null || renewBefore == null) {
            return null;
        }
        String path = child(s.path, "renewBefore");
        if (renewBefore.endsWith("%")) {
            Integer percent = parsePercent(renewBefore.substring(0, renewBefore.length() - 1));
            if (percent == null || percent < 1 || percent > 99) {
                error(path, quote(renewBefore) + " is not a percentage between 1% and 99%");
                return null;
            }
            return RenewalPolicy.percent(lifetime, percent);
        }
        Duration before = parseDuration(path, renewBefore);
        if (before == null) {
            return null;
        }
        if (before.compareTo(lifetime) >= 0) {
            error(path, "must be shorter than lifetime (" + Durations.format(lifetime) + ")");
            return null;
        }
        return RenewalPolicy.before(lifetime, before);
    }

    private static Integer parsePercent(String digits) {
        return digits.matches("\\d{1,3}") ? Integer.valueOf(digits) : null;
    }

    private Duration parseDuration(String path, String text) {
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative() || d.isZero()) {
                error(path, "must be positive");
                return null;
            }
            return d;
        } catch (IllegalArgumentException | ArithmeticException e) {
            error(path, quote(text) + " is not a duration (use e.g. 90d, 12h, 30m or P90D)");
            return null;
        }
    }

    private void error(String path, String message) {
        errors.add(new SpecError(path, message));
    }

    // ---- reading one mapping -----------------------------------------------------------------

    private record Item(String path, Node node) {
    }

    /**
     * One mapping of the spec with the keys it may hold. A missing or malformed section is reported
     * once where it is; reading keys from it then yields nulls without further errors.
     */
    private final class Section {
        final String path;
        private final Map<String, Node> entries;

        Section(String path, Node node, String... keys) {
            this.path = path;
            if (node instanceof Mapping mapping) {
                entries = mapping.entries();
                for (String key : entries.keySet()) {
                    if (!List.of(keys).contains(key)) {
                        error(child(path, key), "unknown key" + suggestion(key, keys));
                    }
                }
            } else {
                entries = null;
                if (node != null && !(node instanceof Scalar scalar && scalar.kind() == Kind.INVALID)) {
                    error(path, "must be a mapping of " + String.join(", ", keys));
                }
            }
        }

        Section section(String key, String... keys) {
            return new Section(child(path, key), get(key), keys);
        }

        /** Whether the key is present at all (for keys that are only reported). */
        boolean has(String key) {
            return entries != null && entries.containsKey(key);
        }

        /** A non-empty mapping of Kubernetes label keys to label values, e.g. a pod selector. */
        Map<String, String> labels(String key) {
            Node node = get(key);
            if (node == null) {
                return null;
            }
            String at = child(path, key);
            if (!(node instanceof Mapping mapping) || mapping.entries().isEmpty()) {
                error(at, "must be a non-empty mapping of pod labels (label: value)");
                return null;
            }
            Map<String, String> labels = new java.util.TreeMap<>();
            mapping.entries().forEach((label, value) -> {
                String labelProblem = SpecFormats.labelKey(label);
                if (labelProblem != null) {
                    error(child(at, label), labelProblem);
                    return;
                }
                String text = text(child(at, label), value, SpecFormats::labelValue);
                if (text != null) {
                    labels.put(label, text);
                }
            });
            return labels;
        }

        /** The value of a required key, or null (reported) when it is missing or empty. */
        Node get(String key) {
            if (entries == null) {
                return null;
            }
            Node node = entries.get(key);
            if (node == null) {
                error(child(path, key), "is required");
                return null;
            }
            if (node instanceof Scalar scalar && scalar.kind() == Kind.NULL) {
                error(child(path, key), "must not be empty");
                return null;
            }
            return node instanceof Scalar scalar && scalar.kind() == Kind.INVALID ? null : node;
        }

        String text(String key, Check check) {
            Node node = get(key);
            return node == null ? null : text(child(path, key), node, check);
        }

        /** A single value as written; numbers count as text so that unquoted ids keep their digits. */
        String text(String at, Node node, Check check) {
            if (!(node instanceof Scalar scalar)) {
                error(at, "must be a single value, not a " + (node instanceof Mapping ? "mapping" : "list"));
                return null;
            }
            switch (scalar.kind()) {
                case BOOLEAN -> {
                    error(at, quote(scalar.text()) + " is read as a YAML boolean; quote it to mean the text");
                    return null;
                }
                case NULL -> {
                    error(at, "must not be empty");
                    return null;
                }
                case INVALID -> {
                    return null;
                }
                default -> {
                }
            }
            if (scalar.text().isEmpty()) {
                error(at, "must not be empty");
                return null;
            }
            String problem = check.problem(scalar.text());
            if (problem != null) {
                error(at, problem);
                return null;
            }
            return scalar.text();
        }

        Integer port(String key) {
            String text = text(key, v -> v.matches("[1-9]\\d{0,4}") && Integer.parseInt(v) <= 65535 ? null
                    : quote(v) + " is not a port (1-65535)");
            return text == null ? null : Integer.valueOf(text);
        }

        Duration duration(String key) {
            String text = text(key, v -> null);
            return text == null ? null : parseDuration(child(path, key), text);
        }

        /** A non-empty list; null (reported) when missing, empty or not a list. */
        List<Item> list(String key, String what) {
            Node node = get(key);
            if (node == null) {
                return null;
            }
            if (!(node instanceof Sequence sequence)) {
                error(child(path, key), "must be a list of " + what + "s");
                return null;
            }
            if (sequence.items().isEmpty()) {
                error(child(path, key), "must list at least one " + what);
                return null;
            }
            List<Item> items = new ArrayList<>();
            for (Node n : sequence.items()) {
                items.add(new Item(item(child(path, key), items.size()), n));
            }
            return items;
        }

        /** A non-empty list of distinct values, each checked, kept as written in their order. */
        Set<String> textSet(String key, String what, Check check) {
            Map<String, String> values = distinct(key, what, check, false);
            return values == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(values.keySet()));
        }

        /** The valid values of a non-empty list, each with its path; a repeated value is reported, not kept. */
        Map<String, String> distinct(String key, String what, Check check, boolean ignoreCase) {
            List<Item> items = list(key, what);
            if (items == null) {
                return null;
            }
            Map<String, String> firstPath = new HashMap<>();
            Map<String, String> values = new LinkedHashMap<>();
            for (Item it : items) {
                String value = text(it.path, it.node, check);
                if (value == null) {
                    continue;
                }
                String first = firstPath.putIfAbsent(ignoreCase ? lowerCase(value) : value, it.path);
                if (first != null) {
                    error(it.path, "duplicate of " + first);
                } else {
                    values.put(value, it.path);
                }
            }
            return values;
        }
    }

    /** " (did you mean 'port'?)" for a key one or two edits away from an allowed one. */
    private static String suggestion(String key, String... keys) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : keys) {
            int d = editDistance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance && d < candidate.length() / 2 + 1) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
