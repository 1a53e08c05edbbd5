package dev.relaylink.testing;

import dev.relaylink.port.LinkLock;
import dev.relaylink.testing.LinkLockCases;

/** The link lock cases both clouds share, against the in-memory lock of tests and the local run (one map: the shared table). */
class InMemoryLinkLockTest extends LinkLockCases {
    private final InMemoryLinkLock lock = new InMemoryLinkLock(clock);

    @Override
    protected LinkLock instance() {
        return lock;
    }
}
