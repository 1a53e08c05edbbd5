package dev.relaylink.port;

import java.util.Set;

/** The private DNS A record that makes the relay host name resolve to the approved private endpoint. */
public interface PrivateDnsPort {

    Set<String> aRecord(String zone, String recordName);

    void setARecord(String zone, String recordName, Set<String> ipv4);
}
