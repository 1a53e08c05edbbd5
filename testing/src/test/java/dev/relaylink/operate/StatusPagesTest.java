package dev.relaylink.operate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaylink.audit.JsonLines;
import dev.relaylink.testing.InMemoryClouds;
import dev.relaylink.port.DeadLetters;
import dev.relaylink.port.HandledEvents;
import dev.relaylink.testing.TestSpecs;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status pages print what the model holds, and never let a value become markup. */
class StatusPagesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

    @Test
    void everyTextOnTheHtmlPageIsEscaped() {
        LinkSide side = new LinkSide(LinkSide.AZURE, new InMemoryClouds().ports(), java.util.Set.of(),
                limit -> List.of(new HandledEvents.HandledEvent("<img src=x onerror=alert(1)>", "COMPLETED", NOW)),
                () -> List.of(new DeadLetters.QueueDepth("q\"><script>alert(2)</script>", 3L, "it's & more")));
        LinkStatus status = LinkStatus.of(TestSpecs.example(), List.of(side), List.of(), NOW);

        String html = StatusPages.html(status);

        assertThat(html).doesNotContain("<img", "<script", "\"><")
                .contains("&lt;img src=x onerror=alert(1)&gt;", "q&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;", "it&#39;s &amp; more")
                .contains("<h2>Dead letters (1)</h2>", "<td>3</td>", "nothing to do: the link matches its spec");
    }

    @Test
    void textJsonAndHtmlCarryTheSameRows() throws Exception {
        LinkSide side = new LinkSide(LinkSide.AWS, new InMemoryClouds().ports(), java.util.Set.of(),
                limit -> List.of(new HandledEvents.HandledEvent("evt-1", "COMPLETED", NOW), new HandledEvents.HandledEvent("evt-2", "IN_PROGRESS", NOW)),
                () -> List.of(new DeadLetters.QueueDepth("link-reconcile-dlq", 0L, "SQS"), new DeadLetters.QueueDepth("blobs", null, "not read: why")));
        LinkStatus status = LinkStatus.of(TestSpecs.example(), List.of(side), List.of(), NOW);

        assertThat(StatusPages.text(status)).contains("== Last events handled (2)", "evt-1", "IN_PROGRESS", "== Dead letters (2)",
                "link-reconcile-dlq", "not read", "== Pending actions (what plan would run) (0)");
        var json = JsonLines.JSON.readTree(StatusPages.json(status));
        assertThat(json.path("lastEvents")).hasSize(2);
        assertThat(json.path("deadLetters").get(1).path("messages").asText()).isEqualTo("not read");
        assertThat(json.path("endpointService").isNull()).isTrue();
        assertThat(StatusPages.html(status)).contains("<td>evt-2</td>", "<td>not read: why</td>");
    }

    @Test
    void longTablesAreCutInTheTerminalOnlyAndSaySo() {
        List<HandledEvents.HandledEvent> many = java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> new HandledEvents.HandledEvent("evt-" + i, "COMPLETED", NOW)).toList();
        LinkSide side = new LinkSide(LinkSide.AWS, new InMemoryClouds().ports(), java.util.Set.of(), limit -> many.subList(0, Math.min(limit, 40)),
                List::of);
        LinkStatus status = new LinkStatus("l", NOW, List.of("aws"), null, List.of(),
                new LinkStatus.LoadBalancer("arn", List.of(), List.of(), java.util.Set.of(), List.of()), List.of(), List.of(), List.of(),
                List.of(), new LinkStatus.Dns("r.z", java.util.Set.of(), false),
                many.stream().map(e -> new LinkStatus.EventRow("aws", e.eventId(), e.status(), e.at())).toList(), List.of(), List.of(),
                null, new LinkStatus.RevocationListRow(false, "", null, null, List.of(), null), List.of());
        assertThat(StatusPages.text(status)).contains("... " + (40 - StatusPages.TEXT_ROWS) + " more (see --json)").doesNotContain("evt-39");
        assertThat(StatusPages.html(status)).contains("evt-39");
        // the model asks each side for its last ten events only
        assertThat(LinkStatus.of(TestSpecs.example(), List.of(side), List.of(), NOW).lastEvents()).hasSize(LinkStatus.EVENTS_PER_SIDE);
    }
}
