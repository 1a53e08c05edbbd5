package dev.relaylink.azure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The forwarder's cloud-init in deploy/azure/relay-link.json, rendered as ARM renders its format()
 * for sample parameters: valid cloud-config whose nftables rules send the relay port, and only it,
 * on to the AWS endpoint's IPs from the forwarder's own address.
 */
class ForwarderCloudInitTest {
    private final JsonNode variables = AzureTemplate.read().json().path("variables");

    @Test
    void theRenderedCloudConfigForwardsTheRelayPortToTheAwsEndpointOnly() throws Exception {
        Matcher format = Pattern.compile("^\\[format\\('([^']*)', (.*)\\)]$", Pattern.DOTALL).matcher(variables.path("forwarderInit").asText());
        assertThat(format.matches()).as("one format() of a literal without quotes").isTrue();
        // The arguments, in order: the port, the number of endpoint IPs, "index : ip" pairs, the transit CIDR.
        assertThat(format.group(2)).isEqualTo("parameters('relayPort'), length(parameters('awsEndpointIps')), "
                + "join(map(range(0, length(parameters('awsEndpointIps'))), i => format('{0} : {1}', i, parameters('awsEndpointIps')[i])), ', '), "
                + "parameters('awsTransitCidr')");
        List<String> ips = List.of("10.60.0.10", "10.60.0.26");
        String rendered = format.group(1).replace("{0}", "443").replace("{1}", String.valueOf(ips.size()))
                .replace("{2}", "0 : " + ips.get(0) + ", 1 : " + ips.get(1)).replace("{3}", "10.60.0.0/24")
                .replace("{{", "{").replace("}}", "}");

        assertThat(rendered).startsWith("#cloud-config\n");
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(rendered);
        JsonNode files = config.path("write_files");
        assertThat(files).hasSize(2);
        assertThat(files.get(0).path("content").asText()).isEqualTo("net.ipv4.ip_forward = 1\n");
        String nftables = files.get(1).path("content").asText();
        assertThat(files.get(1).path("path").asText()).isEqualTo("/etc/nftables.conf");
        assertThat(nftables).contains("tcp dport 443 dnat to numgen inc mod 2 map { 0 : 10.60.0.10, 1 : 10.60.0.26 }")
                .contains("ip daddr 10.60.0.0/24 masquerade")
                .contains("policy drop; ct state established,related accept; ip daddr 10.60.0.0/24 tcp dport 443 accept");
        assertThat(config.path("runcmd").toString()).contains("nftables");
    }
}
