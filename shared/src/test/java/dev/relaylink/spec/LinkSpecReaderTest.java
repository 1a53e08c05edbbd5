package dev.relaylink.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.pki.SpiffeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LinkSpecReaderTest {
    /** Surefire runs in the module directory; the example lives at the repository root. */
    private static final Path EXAMPLE = Path.of("../examples/link.yaml");
    private static final String EXAMPLE_YAML = readExample();

    @Test
    void theDocumentedExampleLoadsWithEveryValue() {
        LinkSpec spec = LinkSpecReader.read(EXAMPLE);

        assertThat(spec.name()).isEqualTo("relay-link-demo");
        assertThat(spec.trustDomain()).isEqualTo("aks.example");
        assertThat(spec.relay()).isEqualTo(new LinkSpec.Relay("relay", "relay-gateway", "relay.eks.internal.example", 443,
                "relay-server-tls", "relay-client-ca", "relay-client-validation", "relay", "https", "relay-client-crl"));

        LinkSpec.Aws aws = spec.aws();
        assertThat(aws.region()).isEqualTo("eu-west-1");
        assertThat(aws.accountId()).isEqualTo("111122223333");
        assertThat(aws.eksCluster()).isEqualTo("relay-eks");
        assertThat(aws.endpointService().name()).isEqualTo("relay-link-demo");
        assertThat(aws.endpointService().allowedPrincipals()).containsExactly("arn:aws:iam::444455556666:root");
        assertThat(aws.nlb().loadBalancerArn())
                .isEqualTo("arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/relay-nlb/0123456789abcdef");
        assertThat(aws.nlb().targetGroupArn())
                .isEqualTo("arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/relay-gateway/0123456789abcdef");
        assertThat(aws.nlb().securityGroupId()).isEqualTo("sg-0123456789abcdef0");
        assertThat(aws.nlb().allowedSourceCidrs()).containsExactly("10.20.0.0/24");
        assertThat(aws.serverCertSecretId()).isEqualTo("relay-link/server-tls");
        assertThat(aws.serverCaKeyId()).isEqualTo("alias/relay-link-server-ca");

        LinkSpec.Azure azure = spec.azure();
        assertThat(azure.subscriptionId()).isEqualTo("00000000-0000-0000-0000-000000000001");
        assertThat(azure.resourceGroup()).isEqualTo("relay-link-rg");
        assertThat(azure.privateLinkService()).isEqualTo("relay-forwarder-pls");
        assertThat(azure.aksCluster()).isEqualTo("relay-aks");
        assertThat(azure.allowedSubscriptions()).containsExactly("00000000-0000-0000-0000-000000000001");
        assertThat(azure.allowedVnets()).containsExactly("/subscriptions/00000000-0000-0000-0000-000000000001"
                + "/resourceGroups/aks-rg/providers/Microsoft.Network/virtualNetworks/aks-vnet");
        assertThat(azure.privateDns()).isEqualTo(new LinkSpec.PrivateDns("eks.internal.example", "relay"));
        assertThat(azure.keyVault()).isEqualTo(new LinkSpec.KeyVault("relay-link-kv", "relay-client-ca"));

        assertThat(spec.workloads()).containsExactly(
                new LinkSpec.Workload("payments", "checkout", "relay-mtls", Map.of("app", "checkout")),
                new LinkSpec.Workload("shipping", "tracker", "relay-mtls", Map.of("app", "tracker")));
        assertThat(spec.allowedSpiffeIds()).containsExactlyInAnyOrder(
                SpiffeId.parse("spiffe://aks.example/ns/payments/sa/checkout"),
                SpiffeId.parse("spiffe://aks.example/ns/shipping/sa/tracker"));

        assertThat(spec.certificates().server()).isEqualTo(RenewalPolicy.before(Duration.ofDays(30), Duration.ofDays(10)));
        assertThat(spec.certificates().client()).isEqualTo(RenewalPolicy.percent(Duration.ofDays(7), 33));
        assertThat(spec.certificates().caLifetime()).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void pathStringAndClassPathGiveTheSameSpec() {
        LinkSpec fromFile = LinkSpecReader.read(EXAMPLE);
        assertThat(LinkSpecReader.read(EXAMPLE_YAML)).isEqualTo(fromFile);
        assertThat(LinkSpecReader.readResource("examples/link.yaml")).isEqualTo(fromFile);
    }

    @Test
    void theSpecsCollectionsCannotBeChangedAfterValidation() {
        LinkSpec spec = LinkSpecReader.read(EXAMPLE_YAML);
        assertThatThrownBy(() -> spec.workloads().add(new LinkSpec.Workload("evil", "sa", "s")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.aws().endpointService().allowedPrincipals().add("*"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.azure().allowedSubscriptions().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void idsKeepTheirDigitsWhenWrittenWithoutQuotesAndGuidsAreStoredInLowerCase() {
        // Unquoted, YAML 1.1 reads 011122223333 as an octal number; the reader keeps the text as written.
        LinkSpec spec = LinkSpecReader.read(edit(EXAMPLE_YAML,
                "accountId: \"111122223333\"", "accountId: 011122223333",
                "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer", "arn:aws:elasticloadbalancing:eu-west-1:011122223333:loadbalancer",
                "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup", "arn:aws:elasticloadbalancing:eu-west-1:011122223333:targetgroup",
                "  subscriptionId: 00000000-0000-0000-0000-000000000001", "  subscriptionId: 0000000A-0000-0000-0000-000000000001",
                "  allowedSubscriptions:                  # private endpoints from these subscriptions are approved\n"
                        + "    - 00000000-0000-0000-0000-000000000001",
                "  allowedSubscriptions:\n    - 00000000-0000-0000-0000-00000000000B\n    - 00000000-0000-0000-0000-000000000001"));
        assertThat(spec.aws().accountId()).isEqualTo("011122223333");
        assertThat(spec.azure().subscriptionId()).isEqualTo("0000000a-0000-0000-0000-000000000001");
        assertThat(spec.azure().allowedSubscriptions())
                .containsExactly("00000000-0000-0000-0000-00000000000b", "00000000-0000-0000-0000-000000000001");
    }

    /** One broken spec each: a small edit of the example and exactly the errors it must give. */
    static Stream<Arguments> brokenSpecs() {
        String principal = "    allowedPrincipals:                   # the only principals that may create endpoints\n"
                + "      - arn:aws:iam::444455556666:root   # the transit VPC account reached over the VPN from Azure";
        return Stream.of(
                broken("port out of range", List.of("  port: 443", "  port: 70000"),
                        "relay.port: '70000' is not a port (1-65535)"),
                broken("misspelt key", List.of("  port: 443", "  prot: 443"),
                        "relay.prot: unknown key (did you mean 'port'?)",
                        "relay.port: is required"),
                broken("key given twice", List.of("  port: 443", "  port: 443\n  port: 8443"),
                        "relay.port: duplicate key (lines 10 and 11)"),
                broken("Service name starting with a digit", List.of("gatewayService: relay-gateway", "gatewayService: 1-gateway"),
                        "relay.gatewayService: '1-gateway' is not a DNS-1035 label (a Service name starts with a letter)"),
                broken("one Secret for the server cert and the client CA", List.of("clientCaSecret: relay-client-ca", "clientCaSecret: relay-server-tls"),
                        "relay.clientCaSecret: must differ from tlsSecret (relay-server-tls): the gateway needs each Secret"),
                broken("the retired allow-list ConfigMap key", List.of("  listener: https", "  listener: https\n  allowListConfigMap: relay-allowed-spiffe-ids"),
                        "relay.allowListConfigMap: is no longer read: relay-link writes the allowed SPIFFE IDs into the ClientTrafficPolicy"
                                + " named by relay.clientTrafficPolicy; remove this key and set clientTrafficPolicy"),
                broken("no pod selector for a workload", List.of("    podSelector:\n      app: tracker\n", ""),
                        "workloads[1].podSelector: is required"),
                broken("pod selector that is not a mapping", List.of("    podSelector:\n      app: tracker", "    podSelector: tracker"),
                        "workloads[1].podSelector: must be a non-empty mapping of pod labels (label: value)"),
                broken("pod label value with a space", List.of("      app: tracker", "      app: track er"),
                        "workloads[1].podSelector.app: 'track er' is not a label value (at most 63 letters, digits, '-', '_' or '.')"),
                broken("host name the private DNS record does not publish",
                        List.of("hostName: relay.eks.internal.example", "hostName: relay.internal.example"),
                        "relay.hostName: 'relay.internal.example' is not the name azure.privateDns publishes (relay.eks.internal.example)"),
                broken("trust domain written as a URI", List.of("trustDomain: aks.example", "trustDomain: spiffe://aks.example"),
                        "trustDomain: 'spiffe://aks.example' is not a SPIFFE trust domain (write the name only, e.g. aks.example)"),
                broken("account id with 11 digits", List.of("accountId: \"111122223333\"", "accountId: \"11112222333\""),
                        "aws.accountId: '11112222333' is not a 12-digit AWS account id"),
                broken("region without its number", List.of("  region: eu-west-1", "  region: eu-west"),
                        "aws.region: 'eu-west' is not an AWS region (e.g. eu-west-1)"),
                broken("NLB and target group in another region", List.of("  region: eu-west-1", "  region: eu-central-1"),
                        "aws.nlb.loadBalancerArn: region eu-west-1 differs from aws.region (eu-central-1)",
                        "aws.nlb.targetGroupArn: region eu-west-1 differs from aws.region (eu-central-1)"),
                broken("target group of another account", List.of("111122223333:targetgroup", "999988887777:targetgroup"),
                        "aws.nlb.targetGroupArn: account 999988887777 differs from aws.accountId (111122223333)"),
                broken("application load balancer instead of a network one", List.of("loadbalancer/net/relay-nlb", "loadbalancer/app/relay-nlb"),
                        "aws.nlb.loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/relay-nlb/0123456789abcdef'"
                                + " is not a Network Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id>)"),
                broken("principal that is not an ARN", List.of("- arn:aws:iam::444455556666:root", "- x"),
                        "aws.endpointService.allowedPrincipals[0]: 'x' is not an IAM principal ARN"),
                broken("every AWS account allowed", List.of("- arn:aws:iam::444455556666:root", "- \"*\""),
                        "aws.endpointService.allowedPrincipals[0]: '*' would let every AWS account connect; list principal ARNs"),
                broken("no principal at all", List.of(principal, "    allowedPrincipals: []"),
                        "aws.endpointService.allowedPrincipals: must list at least one principal"),
                broken("principal listed twice", List.of(principal, principal + "\n      - arn:aws:iam::444455556666:root"),
                        "aws.endpointService.allowedPrincipals[1]: duplicate of aws.endpointService.allowedPrincipals[0]"),
                broken("security group id too short", List.of("sg-0123456789abcdef0", "sg-12345"),
                        "aws.nlb.securityGroupId: 'sg-12345' is not a security group id (sg- and 8 or 17 hex digits)"),
                broken("CIDR prefix beyond /32", List.of("10.20.0.0/24", "10.20.0.0/33"),
                        "aws.nlb.allowedSourceCidrs[0]: '10.20.0.0/33' is not an IPv4 CIDR (the prefix is at most /32)"),
                broken("CIDR with host bits", List.of("10.20.0.0/24", "10.20.0.7/24"),
                        "aws.nlb.allowedSourceCidrs[0]: '10.20.0.7/24' has host bits set (the network is 10.20.0.0/24)"),
                broken("whole internet as NLB source", List.of("10.20.0.0/24", "0.0.0.0/0"),
                        "aws.nlb.allowedSourceCidrs[0]: '0.0.0.0/0' would admit any source address; list the transit VPC's subnets"),
                broken("AWS managed key as server CA", List.of("alias/relay-link-server-ca", "alias/aws/acm"),
                        "aws.serverCaKeyId: 'alias/aws/acm' is an AWS managed key alias; the server CA needs a customer managed ECC_NIST_P256 key"),
                broken("required key missing", List.of("  eksCluster: relay-eks\n", ""),
                        "aws.eksCluster: is required"),
                broken("subscription that is not a GUID",
                        List.of("  subscriptionId: 00000000-0000-0000-0000-000000000001", "  subscriptionId: my-subscription"),
                        "azure.subscriptionId: 'my-subscription' is not an Azure subscription id (a GUID)"),
                broken("empty value", List.of("resourceGroup: relay-link-rg", "resourceGroup:"),
                        "azure.resourceGroup: must not be empty"),
                broken("subnet id instead of a VNet id", List.of("virtualNetworks/aks-vnet", "virtualNetworks/aks-vnet/subnets/pods"),
                        "azure.allowedVnets[0]: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/aks-rg/providers/"
                                + "Microsoft.Network/virtualNetworks/aks-vnet/subnets/pods' is not a virtual network resource id"
                                + " (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>)"),
                broken("VNet in a subscription that is not allowed",
                        List.of("- /subscriptions/00000000-0000-0000-0000-000000000001/", "- /subscriptions/00000000-0000-0000-0000-000000000002/"),
                        "azure.allowedVnets[0]: subscription 00000000-0000-0000-0000-000000000002 is not in azure.allowedSubscriptions,"
                                + " so its private endpoints would be rejected"),
                broken("private DNS zone of one label", List.of("    zone: eks.internal.example", "    zone: eks"),
                        "azure.privateDns.zone: 'eks' needs at least two labels (e.g. relay.internal.example)"),
                broken("record name YAML reads as a boolean", List.of("    recordName: relay", "    recordName: on"),
                        "azure.privateDns.recordName: 'on' is read as a YAML boolean; quote it to mean the text"),
                broken("Key Vault name with underscores", List.of("    name: relay-link-kv", "    name: relay_link_kv"),
                        "azure.keyVault.name: 'relay_link_kv' is not a Key Vault name (3-24 letters, digits and dashes, starting with a letter)"),
                broken("Key Vault given as a name only",
                        List.of("  keyVault:\n    name: relay-link-kv\n    clientCaKey: relay-client-ca", "  keyVault: relay-link-kv"),
                        "azure.keyVault: must be a mapping of name, clientCaKey"),
                broken("namespace in upper case", List.of("  - namespace: shipping", "  - namespace: Shipping"),
                        "workloads[1].namespace: 'Shipping' is not a DNS-1123 label"),
                broken("secret name with an underscore",
                        List.of("serviceAccount: tracker\n    secretName: relay-mtls", "serviceAccount: tracker\n    secretName: relay_mtls"),
                        "workloads[1].secretName: 'relay_mtls' is not a DNS-1123 subdomain"),
                broken("workload listed twice",
                        List.of("namespace: shipping\n    serviceAccount: tracker", "namespace: payments\n    serviceAccount: checkout"),
                        "workloads[1]: duplicate of workloads[0] (payments/checkout)"),
                broken("two workloads writing one Secret", List.of("  - namespace: shipping", "  - namespace: payments"),
                        "workloads[1].secretName: 'relay-mtls' is already used by workloads[0] in namespace payments"),
                broken("service accounts that map to one Key Vault certificate",
                        List.of("serviceAccount: checkout", "serviceAccount: check.out",
                                "namespace: shipping\n    serviceAccount: tracker\n    secretName: relay-mtls",
                                "namespace: payments\n    serviceAccount: check-out\n    secretName: relay-mtls-2"),
                        "workloads[1].serviceAccount: Key Vault certificate name client-payments--check-out is already used by workloads[0]"),
                broken("renewBefore as long as the lifetime", List.of("renewBefore: 10d", "renewBefore: 30d"),
                        "certificates.server.renewBefore: must be shorter than lifetime (30d)"),
                broken("renewBefore share above 99%", List.of("renewBefore: 33%", "renewBefore: 150%"),
                        "certificates.client.renewBefore: '150%' is not a percentage between 1% and 99%"),
                broken("lifetime in words", List.of("lifetime: 7d", "lifetime: 7 days"),
                        "certificates.client.lifetime: '7 days' is not a duration (use e.g. 90d, 12h, 30m or P90D)"),
                broken("zero lifetime", List.of("lifetime: 30d", "lifetime: 0d"),
                        "certificates.server.lifetime: must be positive"),
                broken("client certs outliving their CA", List.of("lifetime: 7d", "lifetime: 400d"),
                        "certificates.client.lifetime: must not be longer than caLifetime (365d)",
                        "certificates.ca.renewBefore: must be longer than the longest leaf lifetime plus the bundle travel time (400d + 1d), is 90d"),
                broken("CA shorter than both leaf lifetimes", List.of("caLifetime: 365d", "caLifetime: 5d"),
                        "certificates.server.lifetime: must not be longer than caLifetime (5d)",
                        "certificates.client.lifetime: must not be longer than caLifetime (5d)",
                        "certificates.ca.renewBefore: must be shorter than caLifetime (5d)"),
                broken("CA renewal window without room for a leaf and the bundle travel", List.of("renewBefore: 90d", "renewBefore: 30d"),
                        "certificates.ca.renewBefore: must be longer than the longest leaf lifetime plus the bundle travel time (30d + 1d), is 30d"),
                broken("CA renewal window over half the CA lifetime", List.of("renewBefore: 90d", "renewBefore: 60%"),
                        "certificates.ca.renewBefore: must be at most half of caLifetime (4380h) so that at most two CA generations are "
                                + "trusted at once, is 219d"),
                broken("CA renewal window as long as the CA", List.of("renewBefore: 90d", "renewBefore: 365d"),
                        "certificates.ca.renewBefore: must be shorter than caLifetime (365d)"),
                broken("CA renewal window missing", List.of("    renewBefore: 90d", "    renewBefor: 90d"),
                        "certificates.ca.renewBefor: unknown key (did you mean 'renewBefore'?)",
                        "certificates.ca.renewBefore: is required"));
    }

    private static Arguments broken(String name, List<String> edits, String... expected) {
        return Arguments.of(name, edits, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenSpecs")
    void aBrokenSpecGivesThePathAndReason(String name, List<String> edits, List<String> expected) {
        assertThat(errorsOf(edit(EXAMPLE_YAML, edits.toArray(String[]::new)))).containsExactlyElementsOf(expected);
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        String yaml = edit(EXAMPLE_YAML,
                "  port: 443", "  port: 0",
                "- arn:aws:iam::444455556666:root", "- x",
                "renewBefore: 33%", "renewBefore: 7d",
                "  - namespace: payments", "  - namespace: Payments",
                "  eksCluster: relay-eks\n", "  eksCluster: relay-eks\n  eksClusterArn: arn\n");

        SpecException e = catchThrowableOfType(SpecException.class, () -> LinkSpecReader.read(yaml));

        List<String> expected = List.of(
                "relay.port: '0' is not a port (1-65535)",
                "aws.eksClusterArn: unknown key",
                "aws.endpointService.allowedPrincipals[0]: 'x' is not an IAM principal ARN",
                "workloads[0].namespace: 'Payments' is not a DNS-1123 label",
                "certificates.client.renewBefore: must be shorter than lifetime (7d)");
        assertThat(e.errors()).extracting(SpecError::toString).containsExactlyElementsOf(expected);
        assertThat(e.source()).isEqualTo("<string>");
        assertThat(e.getMessage()).startsWith("link spec <string> is invalid (5 errors):");
        expected.forEach(line -> assertThat(e.getMessage()).contains("\n  " + line));
    }

    @Test
    void unknownKeysAreErrorsAtEveryLevel() {
        String yaml = edit(EXAMPLE_YAML,
                "\nname: relay-link-demo\n", "\nname: relay-link-demo\nowner: team-relay\n",
                "    securityGroupId:", "    listenerPort: 443\n    securityGroupId:",
                "    serviceAccount: checkout", "    serviceaccount: checkout",
                "  caLifetime: 365d", "  caLifetime: 365d\n  caLifeTime: 730d");

        assertThat(errorsOf(yaml)).containsExactly(
                "owner: unknown key",
                "aws.nlb.listenerPort: unknown key",
                "workloads[0].serviceaccount: unknown key (did you mean 'serviceAccount'?)",
                "workloads[0].serviceAccount: is required",
                "certificates.caLifeTime: unknown key (did you mean 'caLifetime'?)");
    }

    @Test
    void aYamlSyntaxErrorNamesLineAndColumn() {
        String yaml = edit(EXAMPLE_YAML, "  port: 443", "  port: 443: 8443");

        assertThat(errorsOf(yaml)).containsExactly("YAML syntax error at line 10, column 12: mapping values are not allowed here");
        assertThat(errorsOf("relay:\n  port: [443\n")).containsExactly(
                "YAML syntax error at line 3, column 1: expected ',' or ']', but got <stream end>"
                        + " (while parsing a flow sequence started at line 2, column 9)");
    }

    @Test
    void anEmptyOrNonMappingDocumentIsRejected() {
        assertThat(errorsOf("")).containsExactly("the link spec is empty");
        assertThat(errorsOf("# nothing but a comment\n")).containsExactly("the link spec is empty");
        assertThat(errorsOf("- relay\n")).containsExactly(
                "must be a mapping of name, trustDomain, relay, aws, azure, workloads, certificates");
    }

    @Test
    void aSecondDocumentIsRejected() {
        assertThat(errorsOf(EXAMPLE_YAML + "---\nname: another-link\n")).containsExactly(
                "the input holds more than one YAML document (the second has content on line 78); a link spec is one document");
    }

    @Test
    void aliasesAreRejectedRatherThanReadAsTheirName() {
        String yaml = edit(EXAMPLE_YAML,
                "  - namespace: payments", "  - namespace: &ns payments",
                "  - namespace: shipping", "  - namespace: *ns");

        assertThat(errorsOf(yaml)).containsExactly(
                "workloads[1].namespace: YAML aliases (*ns on line 58) are not supported in a link spec; write the value out");
    }

    @Test
    void inputOverOneMebibyteIsRejectedBeforeParsing(@TempDir Path dir) throws IOException {
        String padded = EXAMPLE_YAML + "#" + "x".repeat(LinkSpecReader.MAX_BYTES - EXAMPLE_YAML.length() - 2) + "\n";
        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(LinkSpecReader.MAX_BYTES);
        assertThat(LinkSpecReader.read(padded)).isEqualTo(LinkSpecReader.read(EXAMPLE_YAML));

        String tooLarge = padded + "#";
        String expected = "the input is larger than 1048576 bytes (1 MiB), the limit for a link spec";
        assertThat(errorsOf(tooLarge)).containsExactly(expected);
        // Multi-byte characters count as the bytes they take.
        assertThat(errorsOf(EXAMPLE_YAML + "#" + "é".repeat(LinkSpecReader.MAX_BYTES / 2))).containsExactly(expected);

        Path file = dir.resolve("large.yaml");
        Files.writeString(file, tooLarge);
        SpecException e = catchThrowableOfType(SpecException.class, () -> LinkSpecReader.read(file));
        assertThat(e.errors()).extracting(SpecError::toString).containsExactly(expected);
        assertThat(e.source()).isEqualTo(file.toString());
    }

    @Test
    void deepNestingStopsAtTheCapInsteadOfExhaustingTheStack() {
        String deep = "workloads: " + "[".repeat(400_000) + "]".repeat(400_000);
        assertThat(errorsOf(deep)).containsExactly("the YAML nests deeper than 32 levels (line 1); a link spec needs four");

        StringBuilder block = new StringBuilder();
        for (int depth = 0; depth < 40; depth++) {
            block.append("  ".repeat(depth)).append("k").append(depth).append(":\n");
        }
        assertThat(errorsOf(block.toString())).containsExactly("the YAML nests deeper than 32 levels (line 34); a link spec needs four");
    }

    @Test
    void aFloodOfErrorsIsCountedButOnlyTheFirstFiftyAreInTheMessage() {
        String yaml = "workloads:\n" + "  - x\n".repeat(1_000);

        SpecException e = catchThrowableOfType(SpecException.class, () -> LinkSpecReader.read(yaml));

        // name, trustDomain, relay, aws, azure, certificates missing; every workload not a mapping.
        assertThat(e.errors()).hasSize(1_006);
        assertThat(e.errors().get(1_005)).isEqualTo(new SpecError("certificates", "is required"));
        assertThat(e.getMessage()).startsWith("link spec <string> is invalid (1006 errors):\n  name: is required\n")
                .endsWith("\n  workloads[44]: must be a mapping of namespace, serviceAccount, secretName, podSelector\n  ... and 956 more")
                .hasLineCount(52);
    }

    @Test
    void unreadableInputGivesOneClearError(@TempDir Path dir) throws IOException {
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(catchThrowableOfType(SpecException.class, () -> LinkSpecReader.read(latin1)).errors())
                .extracting(SpecError::toString).containsExactly("the input is not UTF-8 text");

        SpecException missingFile = catchThrowableOfType(SpecException.class, () -> LinkSpecReader.read(dir.resolve("absent.yaml")));
        assertThat(missingFile.errors()).singleElement().extracting(SpecError::message).asString()
                .startsWith("cannot read the file: java.nio.file.NoSuchFileException");

        SpecException missingResource = catchThrowableOfType(SpecException.class, () -> LinkSpecReader.readResource("examples/absent.yaml"));
        assertThat(missingResource.getMessage())
                .isEqualTo("link spec classpath:examples/absent.yaml is invalid (1 error):\n  no such resource on the class path");
    }

    private static List<String> errorsOf(String yaml) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> LinkSpecReader.read(yaml));
        assertThat(e).as("expected the spec to be rejected").isNotNull();
        return e.errors().stream().map(SpecError::toString).toList();
    }

    /** Applies (from, to) replacements; each {@code from} must occur exactly once so that an edit never misses. */
    private static String edit(String yaml, String... fromTo) {
        String result = yaml;
        for (int i = 0; i < fromTo.length; i += 2) {
            String from = fromTo[i];
            int at = result.indexOf(from);
            assertThat(at).as("'%s' occurs in the spec", from).isNotNegative();
            assertThat(result.indexOf(from, at + 1)).as("'%s' occurs only once", from).isNegative();
            result = result.substring(0, at) + fromTo[i + 1] + result.substring(at + from.length());
        }
        return result;
    }

    private static String readExample() {
        try {
            return Files.readString(EXAMPLE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
