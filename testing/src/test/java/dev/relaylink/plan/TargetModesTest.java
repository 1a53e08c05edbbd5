package dev.relaylink.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.spec.LinkSpec;
import dev.relaylink.state.LoadBalancerState;
import dev.relaylink.state.ObservedState;
import dev.relaylink.state.Target;
import dev.relaylink.state.TargetGroupBinding;
import dev.relaylink.testing.TestSpecs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two target modes, as a table: in controller mode the planner keeps the TargetGroupBinding and never
 * registers or deregisters a target; in relay-link mode it registers the ready endpoints and writes no binding.
 */
class TargetModesTest {
    private static final LinkSpec CONTROLLER = TestSpecs.example();
    private static final LinkSpec RELAY_LINK = withTargets(LinkSpec.Targets.RELAY_LINK);
    private static final TargetGroupBinding WANTED = Planner.targetGroupBinding(CONTROLLER);
    private static final Target POD = new Target("10.0.1.5", 10443);
    private static final Target GONE = new Target("10.0.1.9", 10443);

    static LinkSpec withTargets(LinkSpec.Targets targets) {
        LinkSpec example = TestSpecs.example();
        LinkSpec.Aws aws = example.aws();
        LinkSpec.Nlb nlb = aws.nlb();
        return new LinkSpec(example.name(), example.relay(), new LinkSpec.Aws(aws.region(), aws.accountId(), aws.endpointService(),
                new LinkSpec.Nlb(nlb.loadBalancerArn(), nlb.targetGroupArn(), nlb.securityGroupId(), nlb.allowedSourceCidrs(), targets),
                aws.serverCertSecretId(), aws.serverCaKeyId(), aws.eksCluster()),
                example.azure(), example.workloads(), example.certificates(), example.trustDomain());
    }

    /** The link's listener and ingress already right: only the targets differ between rows. */
    static ObservedState observed(Set<Target> registered, Set<Target> endpoints, Optional<TargetGroupBinding> binding) {
        return ObservedState.empty().withLoadBalancer(LoadBalancerState.none()
                .withListeners(new dev.relaylink.state.ListenerState("arn:listener/1", 443, "TCP", TestSpecs.TG_ARN))
                .withTargets(registered, endpoints)
                .withSecurityGroup(Set.of("sg-0123456789abcdef0"), Set.of(new dev.relaylink.state.IngressRule("tcp", 443, "10.20.0.0/24")))
                .withTargetGroupBinding(binding));
    }

    static TargetGroupBinding edited(String targetGroupArn, String targetType, String service, int port, List<String> groups, List<String> other) {
        return new TargetGroupBinding("relay", "relay-gateway", targetGroupArn, targetType, service, port, groups, other);
    }

    static Stream<Arguments> rows() {
        String otherGroup = TestSpecs.TG_ARN.replace("relay-gateway", "other");
        return Stream.of(
                // controller mode
                Arguments.of("controller: no binding", CONTROLLER, observed(Set.of(), Set.of(), Optional.empty()),
                        List.of("WriteTargetGroupBinding"), "the TargetGroupBinding does not exist"),
                Arguments.of("controller: binding right, targets differ from pods", CONTROLLER,
                        observed(Set.of(GONE), Set.of(POD), Optional.of(WANTED)), List.of(), null),
                Arguments.of("controller: another target group", CONTROLLER, observed(Set.of(), Set.of(), Optional.of(edited(otherGroup,
                        "ip", "relay-gateway", 443, WANTED.ingressFromSecurityGroups(), List.of()))),
                        List.of("WriteTargetGroupBinding"), "it binds target group " + otherGroup),
                Arguments.of("controller: instance targets", CONTROLLER, observed(Set.of(), Set.of(), Optional.of(edited(TestSpecs.TG_ARN,
                        "instance", "relay-gateway", 443, WANTED.ingressFromSecurityGroups(), List.of()))),
                        List.of("WriteTargetGroupBinding"), "targetType is instance, not ip"),
                Arguments.of("controller: another Service", CONTROLLER, observed(Set.of(), Set.of(), Optional.of(edited(TestSpecs.TG_ARN,
                        "ip", "relay", 8080, WANTED.ingressFromSecurityGroups(), List.of()))),
                        List.of("WriteTargetGroupBinding"), "serviceRef is relay:8080, not relay-gateway:443"),
                Arguments.of("controller: ingress from elsewhere", CONTROLLER, observed(Set.of(), Set.of(), Optional.of(edited(TestSpecs.TG_ARN,
                        "ip", "relay-gateway", 443, List.of("sg-0ffffffffffffffff"), List.of("spec.networking.ingress[0].from {\"ipBlock\":{}}")))),
                        List.of("WriteTargetGroupBinding"), "pod ingress is from [sg-0ffffffffffffffff]"),
                Arguments.of("controller: a node selector added", CONTROLLER, observed(Set.of(), Set.of(), Optional.of(edited(TestSpecs.TG_ARN,
                        "ip", "relay-gateway", 443, WANTED.ingressFromSecurityGroups(), List.of("spec.nodeSelector")))),
                        List.of("WriteTargetGroupBinding"), "settings relay-link does not write were added: [spec.nodeSelector]"),
                // relay-link mode
                Arguments.of("relay-link: pods not registered, a stale target", RELAY_LINK, observed(Set.of(GONE), Set.of(POD), Optional.empty()),
                        List.of("RegisterTargets", "DeregisterTargets"), "ready gateway endpoints are not registered"),
                Arguments.of("relay-link: targets right, no binding written", RELAY_LINK, observed(Set.of(POD), Set.of(POD), Optional.empty()),
                        List.of(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void targetActionsFollowTheMode(String row, LinkSpec spec, ObservedState observed, List<String> expected, String reason) {
        List<Action> actions = Planner.plan(spec, observed, Instant.parse("2026-12-01T00:00:00Z"), Set.of(Concern.LOAD_BALANCER)).actions();

        assertThat(actions).extracting(a -> a.getClass().getSimpleName()).containsExactlyElementsOf(expected);
        if (reason != null) {
            assertThat(actions.getFirst().reason()).contains(reason);
        }
        if (spec.aws().nlb().targets() == LinkSpec.Targets.CONTROLLER) {
            assertThat(actions).noneMatch(a -> a instanceof Action.RegisterTargets || a instanceof Action.DeregisterTargets);
            actions.forEach(a -> assertThat(((Action.WriteTargetGroupBinding) a).binding()).isEqualTo(WANTED));
        } else {
            assertThat(actions).noneMatch(a -> a instanceof Action.WriteTargetGroupBinding);
        }
    }
}
