package dev.relaylink.event;

import dev.relaylink.spec.LinkSpec;
import java.util.Locale;

/**
 * The one check, on both clouds, that an event comes from where the link lives: the AWS account and
 * region (an EventBridge envelope, an SNS topic ARN, a secret ARN, a CloudWatch Logs batch owner), or
 * the Azure subscription and resource group of an ARM resource id. It runs before anything else of
 * the event is trusted; a mismatch is a refusal with both values named.
 */
public final class EventOrigin {
    private EventOrigin() {
    }

    /** The AWS account and region an event names must be the link's. */
    public static void requireAws(String eventId, String account, String region, LinkSpec spec) throws RefusedEvent {
        requireAwsAccount(eventId, account, spec);
        if (!spec.aws().region().equals(region)) {
            throw new RefusedEvent(eventId, "region " + region + " is not the link's region " + spec.aws().region());
        }
    }

    /** Only the account, where the event names no region (a CloudWatch Logs batch has its owner only). */
    public static void requireAwsAccount(String eventId, String account, LinkSpec spec) throws RefusedEvent {
        if (!spec.aws().accountId().equals(account)) {
            throw new RefusedEvent(eventId, "account " + account + " is not the link's account " + spec.aws().accountId());
        }
    }

    /**
     * The subscription and resource group of an ARM resource ({@code what} names it) must be the link's;
     * ARM compares both case-insensitively, and so does this. The Azure checks do not trust an event id
     * before it passes, so the refusal names none.
     */
    public static void requireAzure(String what, String subscription, String resourceGroup, LinkSpec spec) throws RefusedEvent {
        LinkSpec.Azure azure = spec.azure();
        if (!azure.subscriptionId().equalsIgnoreCase(subscription)
                || !azure.resourceGroup().toLowerCase(Locale.ROOT).equals(resourceGroup.toLowerCase(Locale.ROOT))) {
            throw new RefusedEvent(what + " is in resource group " + resourceGroup + " of subscription " + subscription
                    + ", not the link's resource group " + azure.resourceGroup() + " of subscription " + azure.subscriptionId());
        }
    }
}
