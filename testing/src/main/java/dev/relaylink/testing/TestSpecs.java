package dev.relaylink.testing;

import dev.relaylink.pki.RenewalPolicy;
import dev.relaylink.spec.LinkSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A link spec built in code (the same values as examples/link.yaml), for tests that do not test the reader. */
public final class TestSpecs {
    public static final String ACCOUNT = "111122223333";
    public static final String CONSUMER_ACCOUNT = "444455556666";
    public static final String STRANGER_ACCOUNT = "999988887777";
    public static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
    public static final String STRANGER_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000ff";
    public static final String VNET = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/aks-rg/providers/Microsoft.Network/virtualNetworks/aks-vnet";
    public static final String LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:" + ACCOUNT + ":loadbalancer/net/relay-nlb/0123456789abcdef";
    public static final String TG_ARN = "arn:aws:elasticloadbalancing:eu-west-1:" + ACCOUNT + ":targetgroup/relay-gateway/0123456789abcdef";

    private TestSpecs() {
    }

    public static LinkSpec example() {
        return new LinkSpec("relay-link-demo",
                new LinkSpec.Relay("relay", "relay-gateway", TestPki.RELAY_HOST, 443, "relay-server-tls", "relay-client-ca", "relay-client-validation",
                        "relay", "https", "relay-client-crl"),
                new LinkSpec.Aws("eu-west-1", ACCOUNT,
                        new LinkSpec.EndpointService("relay-link-demo", Set.of("arn:aws:iam::" + CONSUMER_ACCOUNT + ":root")),
                        new LinkSpec.Nlb(LB_ARN, TG_ARN, "sg-0123456789abcdef0", Set.of("10.20.0.0/24"), LinkSpec.Targets.CONTROLLER),
                        "relay-link/server-tls", "alias/relay-link-server-ca", "relay-eks"),
                new LinkSpec.Azure(SUBSCRIPTION, "relay-link-rg", "relay-forwarder-pls", Set.of(SUBSCRIPTION), Set.of(VNET),
                        new LinkSpec.PrivateDns("eks.internal.example", "relay"), new LinkSpec.KeyVault("relay-link-kv", "relay-client-ca"), "relay-aks"),
                List.of(new LinkSpec.Workload("payments", "checkout", "relay-mtls"), new LinkSpec.Workload("shipping", "tracker", "relay-mtls")),
                new LinkSpec.CertificatePolicy(RenewalPolicy.before(Duration.ofDays(30), Duration.ofDays(10)),
                        RenewalPolicy.percent(Duration.ofDays(7), 33), Duration.ofDays(365),
                        RenewalPolicy.before(Duration.ofDays(365), Duration.ofDays(90))),
                TestPki.TRUST_DOMAIN);
    }
}
