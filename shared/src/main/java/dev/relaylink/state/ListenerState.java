package dev.relaylink.state;

/** One NLB listener: relay-link wants exactly one, TCP on the relay port, forwarding to the gateway target group. */
public record ListenerState(String listenerArn, int port, String protocol, String targetGroupArn) {
}
