package dev.relaylink.state;

/** One inbound rule of the NLB security group, as relay-link manages them: TCP, one port, one IPv4 CIDR. */
public record IngressRule(String protocol, int port, String cidr) implements Comparable<IngressRule> {
    @Override
    public int compareTo(IngressRule other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return protocol + "/" + port + " from " + cidr;
    }
}
