package dev.relaylink.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The formats the clouds and Kubernetes enforce, checked up front so that a typo fails at load
 * time with the key's path instead of halfway through a rotation. Each check returns null when
 * the value is fine, otherwise the reason.
 */
final class SpecFormats {
    @FunctionalInterface
    interface Check {
        String problem(String value);
    }

    private static final String PARTITION = "aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile(
            "[a-z]{2,4}(-[a-z]{2,5})?-(central|north|south|east|west|northeast|northwest|southeast|southwest)-[1-9]\\d?");
    /** Groups: 1 partition, 2 region, 3 account. */
    static final Pattern NLB_ARN = Pattern.compile(
            "arn:(" + PARTITION + "):elasticloadbalancing:([a-z0-9-]+):(\\d{12}):loadbalancer/net/[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]{16}");
    static final Pattern TARGET_GROUP_ARN = Pattern.compile(
            "arn:(" + PARTITION + "):elasticloadbalancing:([a-z0-9-]+):(\\d{12}):targetgroup/[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]{16}");
    private static final Pattern IAM_PRINCIPAL = Pattern.compile(
            "arn:(" + PARTITION + "):iam::\\d{12}:(root|(user|role)(/[\\w+=,.@-]+)*/[\\w+=,.@-]{1,64})");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-([0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern IPV4_CIDR = Pattern.compile(
            "(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})/(0|[1-9]\\d?)");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    /** Groups: 1 partition, 2 region, 3 account, for ARNs only. */
    static final Pattern KMS_KEY_ARN = Pattern.compile(
            "arn:(" + PARTITION + "):kms:([a-z0-9-]+):(\\d{12}):(key/(" + UUID + "|mrk-[0-9a-f]{32})|alias/[A-Za-z0-9/_-]{1,250})");
    private static final Pattern KMS_KEY = Pattern.compile(UUID + "|mrk-[0-9a-f]{32}|alias/[A-Za-z0-9/_-]{1,250}");
    private static final Pattern EKS_CLUSTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{N} _.:/=+@-]{1,256}");
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w.()]{0,89}[-\\w()]");
    private static final Pattern PRIVATE_LINK_SERVICE = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?");
    private static final Pattern AKS_CLUSTER = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?");
    /** Group 1: the subscription id. ARM resource ids compare case-insensitively. */
    static final Pattern VNET_ID = Pattern.compile(
            "/subscriptions/(" + GUID.pattern() + ")/resourceGroups/" + RESOURCE_GROUP.pattern()
                    + "/providers/Microsoft\\.Network/virtualNetworks/[A-Za-z0-9]([A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KEY_VAULT = Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]");
    private static final Pattern KEY_VAULT_OBJECT = Pattern.compile("[A-Za-z0-9-]{1,127}");

    private SpecFormats() {
    }

    static String dnsLabel(String v) {
        return DNS_LABEL.matcher(v).matches() ? null : quote(v) + " is not a DNS-1123 label";
    }

    /** Kubernetes object names such as Secrets and ConfigMaps. */
    static String dnsSubdomain(String v) {
        return isDnsName(v) ? null : quote(v) + " is not a DNS-1123 subdomain";
    }

    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)");

    /** A Kubernetes label key: an optional DNS subdomain prefix and a slash, then a name of at most 63 characters. */
    static String labelKey(String v) {
        int slash = v.lastIndexOf('/');
        String prefix = slash < 0 ? null : v.substring(0, slash);
        String name = v.substring(slash + 1);
        if ((prefix != null && !isDnsName(prefix)) || !LABEL_NAME.matcher(name).matches()) {
            return quote(v) + " is not a label key ([prefix/]name, name at most 63 letters, digits, '-', '_' or '.')";
        }
        return null;
    }

    static String labelValue(String v) {
        return LABEL_VALUE.matcher(v).matches() ? null : quote(v) + " is not a label value (at most 63 letters, digits, '-', '_' or '.')";
    }

    /** Kubernetes Service names: a DNS-1035 label, which starts with a letter. */
    static String serviceName(String v) {
        return DNS_1035_LABEL.matcher(v).matches() ? null : quote(v) + " is not a DNS-1035 label (a Service name starts with a letter)";
    }

    /** A host or zone name: lower-case DNS labels, at least two of them (Azure private DNS zones need two). */
    static String dnsName(String v) {
        if (!isDnsName(v)) {
            return quote(v) + " is not a DNS name (lower-case labels of letters, digits and '-', separated by '.')";
        }
        return v.indexOf('.') > 0 ? null : quote(v) + " needs at least two labels (e.g. relay.internal.example)";
    }

    /** A record name relative to its zone: one or more labels, or {@code @} for the zone apex. */
    static String recordName(String v) {
        return v.equals("@") || isDnsName(v) ? null : quote(v) + " is not a DNS record name (labels relative to the zone, or @)";
    }

    static String trustDomain(String v) {
        if (v.contains("/") || v.contains(":")) {
            return quote(v) + " is not a SPIFFE trust domain (write the name only, e.g. aks.example)";
        }
        return TRUST_DOMAIN.matcher(v).matches() ? null
                : quote(v) + " is not a SPIFFE trust domain (lower-case letters, digits, '.', '-' and '_')";
    }

    static String accountId(String v) {
        return ACCOUNT_ID.matcher(v).matches() ? null : quote(v) + " is not a 12-digit AWS account id";
    }

    static String region(String v) {
        return REGION.matcher(v).matches() ? null : quote(v) + " is not an AWS region (e.g. eu-west-1)";
    }

    static String loadBalancerArn(String v) {
        return NLB_ARN.matcher(v).matches() ? null
                : quote(v) + " is not a Network Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id>)";
    }

    static String targetGroupArn(String v) {
        return TARGET_GROUP_ARN.matcher(v).matches() ? null
                : quote(v) + " is not a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)";
    }

    /** Endpoint service principals: an account root, IAM user or role; never {@code *}. */
    static String iamPrincipal(String v) {
        if (v.equals("*")) {
            return "'*' would let every AWS account connect; list principal ARNs";
        }
        return IAM_PRINCIPAL.matcher(v).matches() ? null : quote(v) + " is not an IAM principal ARN";
    }

    static String securityGroupId(String v) {
        return SECURITY_GROUP.matcher(v).matches() ? null : quote(v) + " is not a security group id (sg- and 8 or 17 hex digits)";
    }

    /** A source range for the NLB security group: canonical IPv4 network, never the whole internet. */
    static String ipv4Cidr(String v) {
        Matcher m = IPV4_CIDR.matcher(v);
        if (!m.matches()) {
            return quote(v) + " is not an IPv4 CIDR (e.g. 10.20.0.0/24)";
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return quote(v) + " is not an IPv4 CIDR (e.g. 10.20.0.0/24)";
            }
            address = address << 8 | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix > 32) {
            return quote(v) + " is not an IPv4 CIDR (the prefix is at most /32)";
        }
        if (prefix == 0) {
            return quote(v) + " would admit any source address; list the transit VPC's subnets";
        }
        long mask = (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
        if ((address & ~mask & 0xFFFF_FFFFL) != 0) {
            long network = address & mask;
            return quote(v) + " has host bits set (the network is " + (network >> 24) + "." + (network >> 16 & 255) + "."
                    + (network >> 8 & 255) + "." + (network & 255) + "/" + prefix + ")";
        }
        return null;
    }

    static String secretsManagerName(String v) {
        return SECRET_NAME.matcher(v).matches() ? null
                : quote(v) + " is not a Secrets Manager secret name (letters, digits and /_+=.@-, at most 512)";
    }

    /** The server CA key: a customer managed key id, ARN or alias (AWS managed keys cannot sign certificates). */
    static String kmsKeyId(String v) {
        if (v.startsWith("alias/aws/") || v.contains(":alias/aws/")) {
            return quote(v) + " is an AWS managed key alias; the server CA needs a customer managed ECC_NIST_P256 key";
        }
        return KMS_KEY.matcher(v).matches() || KMS_KEY_ARN.matcher(v).matches() ? null
                : quote(v) + " is not a KMS key id, key ARN or alias (e.g. alias/relay-link-server-ca)";
    }

    static String eksClusterName(String v) {
        return EKS_CLUSTER.matcher(v).matches() ? null : quote(v) + " is not an EKS cluster name";
    }

    /** The endpoint service's Name tag. */
    static String tagValue(String v) {
        return TAG_VALUE.matcher(v).matches() ? null : quote(v) + " is not a valid tag value (at most 256 letters, digits, spaces and _.:/=+@-)";
    }

    static String subscriptionId(String v) {
        return GUID.matcher(v).matches() ? null : quote(v) + " is not an Azure subscription id (a GUID)";
    }

    static String resourceGroup(String v) {
        return RESOURCE_GROUP.matcher(v).matches() ? null : quote(v) + " is not a resource group name";
    }

    static String privateLinkService(String v) {
        return PRIVATE_LINK_SERVICE.matcher(v).matches() ? null : quote(v) + " is not a Private Link Service name";
    }

    static String aksClusterName(String v) {
        return AKS_CLUSTER.matcher(v).matches() ? null : quote(v) + " is not an AKS cluster name";
    }

    static String vnetId(String v) {
        return VNET_ID.matcher(v).matches() ? null
                : quote(v) + " is not a virtual network resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>)";
    }

    static String keyVaultName(String v) {
        if (!KEY_VAULT.matcher(v).matches()) {
            return quote(v) + " is not a Key Vault name (3-24 letters, digits and dashes, starting with a letter)";
        }
        return v.contains("--") ? quote(v) + " is not a Key Vault name (no consecutive dashes)" : null;
    }

    static String keyVaultObjectName(String v) {
        return KEY_VAULT_OBJECT.matcher(v).matches() ? null : quote(v) + " is not a Key Vault object name (letters, digits and dashes)";
    }

    private static boolean isDnsName(String v) {
        if (v.length() > 253) {
            return false;
        }
        for (String label : v.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The value as shown in a message; long values are cut so that one bad key cannot flood a log. */
    static String quote(String v) {
        return "'" + (v.length() > 200 ? v.substring(0, 197) + "..." : v) + "'";
    }
}
