package dev.relaylink.azure.adapter;

import com.azure.core.exception.HttpResponseException;
import com.azure.resourcemanager.privatedns.fluent.RecordSetsClient;
import com.azure.resourcemanager.privatedns.fluent.models.RecordSetInner;
import com.azure.resourcemanager.privatedns.models.ARecord;
import com.azure.resourcemanager.privatedns.models.RecordType;
import dev.relaylink.port.PrivateDnsPort;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A record sets in an Azure private DNS zone of one resource group, through ARM. */
public final class ArmPrivateDns implements PrivateDnsPort {
    /** Short, so a re-pointed endpoint is picked up quickly by the pods' resolvers. */
    static final long TTL_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(ArmPrivateDns.class);

    private final RecordSetsClient recordSets;
    private final String resourceGroup;

    public ArmPrivateDns(AzureClients clients, String subscriptionId, String resourceGroup) {
        this.recordSets = clients.privateDns(subscriptionId).serviceClient().getRecordSets();
        this.resourceGroup = resourceGroup;
    }

    /** The record set's IPv4 addresses; empty when the record set does not exist. */
    @Override
    public Set<String> aRecord(String zone, String recordName) {
        try {
            RecordSetInner recordSet = recordSets.get(resourceGroup, zone, RecordType.A, recordName);
            return recordSet.aRecords() == null ? Set.of()
                    : recordSet.aRecords().stream().map(ARecord::ipv4Address).collect(Collectors.toCollection(TreeSet::new));
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return Set.of();
            }
            throw e;
        }
    }

    /** Creates or replaces the record set so it holds exactly {@code ipv4}. */
    @Override
    public void setARecord(String zone, String recordName, Set<String> ipv4) {
        RecordSetInner recordSet = new RecordSetInner()
                .withTtl(TTL_SECONDS)
                .withARecords(new TreeSet<>(ipv4).stream().map(ip -> new ARecord().withIpv4Address(ip)).toList());
        recordSets.createOrUpdate(resourceGroup, zone, RecordType.A, recordName, recordSet);
        LOG.info("private DNS {}.{} A -> {}", recordName, zone, new TreeSet<>(ipv4));
    }
}
