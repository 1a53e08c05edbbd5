package dev.relaylink.state;

/** An IP target of the NLB target group: one EKS gateway pod endpoint. */
public record Target(String ip, int port) implements Comparable<Target> {
    @Override
    public int compareTo(Target other) {
        int byIp = ip.compareTo(other.ip);
        return byIp != 0 ? byIp : Integer.compare(port, other.port);
    }

    @Override
    public String toString() {
        return ip + ":" + port;
    }
}
