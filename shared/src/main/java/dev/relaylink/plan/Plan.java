package dev.relaylink.plan;

import java.util.List;

/** The ordered actions that move the observed state to the spec; empty when they agree. */
public record Plan(List<Action> actions) {
    public Plan {
        actions = List.copyOf(actions);
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
