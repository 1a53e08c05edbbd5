package dev.relaylink.operate;

import dev.relaylink.wiring.PortObserver;
import dev.relaylink.plan.Action;
import dev.relaylink.plan.Plan;
import dev.relaylink.plan.Planner;
import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.ObservedState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What relay-link would change now, and why: each side observed through its ports with the
 * concerns its own reconcile has, and planned by the same planner. Observing only reads; nothing
 * here executes a plan.
 */
public final class LinkPreview {
    private LinkPreview() {
    }

    /** One side's observation and the plan its reconcile would run on it. */
    public record SidePreview(String side, ObservedState observed, Plan plan) {
    }

    /** One planned action as an operator reads it: the side that would run it, its type, target and reason. */
    public record PlannedAction(String side, String type, String target, String reason) {
        static PlannedAction of(String side, Action action) {
            return new PlannedAction(side, action.getClass().getSimpleName(), action.target(), action.reason());
        }
    }

    public static List<SidePreview> preview(LinkSpec spec, List<LinkSide> sides, Instant now) {
        List<SidePreview> previews = new ArrayList<>();
        for (LinkSide side : sides) {
            ObservedState observed = new PortObserver(spec, side.ports()).observe(side.concerns());
            previews.add(new SidePreview(side.name(), observed, Planner.plan(spec, observed, now, side.concerns())));
        }
        return previews;
    }

    public static List<PlannedAction> actions(List<SidePreview> previews) {
        List<PlannedAction> actions = new ArrayList<>();
        previews.forEach(p -> p.plan().actions().forEach(a -> actions.add(PlannedAction.of(p.side(), a))));
        return actions;
    }

    /** The plan as text: one numbered line per action, or a line saying there is nothing to do. */
    public static String text(String link, List<SidePreview> previews) {
        List<PlannedAction> actions = actions(previews);
        String sides = String.join(" and ", previews.stream().map(SidePreview::side).toList());
        StringBuilder out = new StringBuilder();
        if (actions.isEmpty()) {
            return out.append("link ").append(link).append(" (").append(sides).append("): nothing to do\n").toString();
        }
        out.append("link ").append(link).append(" (").append(sides).append("): ").append(actions.size())
                .append(actions.size() == 1 ? " action" : " actions").append(" would run\n");
        int n = 1;
        for (PlannedAction action : actions) {
            out.append(String.format("%3d. [%s] %s %s%n       because %s%n", n++, action.side(), action.type(), action.target(), action.reason()));
        }
        return out.toString();
    }
}
