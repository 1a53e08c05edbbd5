package dev.relaylink.operate;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relaylink.audit.JsonLines;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The {@link LinkStatus} as a terminal table, as JSON for machines, and as one self-contained HTML page. */
public final class StatusPages {
    /** Longer cells are cut in the terminal table (never in JSON or HTML): ARNs and DNs would push every column off screen. */
    static final int TEXT_CELL = 60;
    /** Rows per table in the terminal: 10,000 connections are for JSON; the text says how many were left out. */
    static final int TEXT_ROWS = 25;

    private StatusPages() {
    }

    public static String json(LinkStatus status) {
        try {
            return JsonLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(LinkStatus status) {
        StringBuilder out = new StringBuilder();
        out.append("link ").append(status.link()).append(" at ").append(status.observedAt()).append(" (observed: ")
                .append(String.join(", ", status.sides())).append(")\n");
        for (LinkStatus.Table table : status.tables()) {
            out.append('\n').append("== ").append(table.title()).append(" (").append(table.rows().size()).append(")\n");
            if (table.rows().isEmpty()) {
                out.append("   (none)\n");
                continue;
            }
            List<List<String>> shown = new ArrayList<>();
            shown.add(table.columns());
            table.rows().stream().limit(TEXT_ROWS).map(row -> row.stream().map(StatusPages::cut).toList()).forEach(shown::add);
            int[] widths = new int[table.columns().size()];
            for (List<String> row : shown) {
                for (int i = 0; i < row.size(); i++) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            for (List<String> row : shown) {
                StringBuilder line = new StringBuilder("   ");
                for (int i = 0; i < row.size(); i++) {
                    line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
            if (table.rows().size() > TEXT_ROWS) {
                out.append("   ... ").append(table.rows().size() - TEXT_ROWS).append(" more (see --json)\n");
            }
        }
        return out.toString();
    }

    /** One page with inline CSS, no scripts and no external assets; every text is HTML-escaped. */
    public static String html(LinkStatus status) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>relay-link status: ").append(escape(status.link())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#1b1f24;background:#fff}\n")
                .append("h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.05em;margin:1.4em 0 .4em}\n")
                .append("p.meta{color:#57606a;margin:0 0 1em}\n")
                .append("table{border-collapse:collapse;font-size:.85em;width:100%}\n")
                .append("th,td{border:1px solid #d0d7de;padding:.25em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}\n")
                .append("th{background:#f6f8fa}td.no{color:#b42318;font-weight:600}td.yes{color:#1a7f37}\n")
                .append("p.none{color:#57606a;font-style:italic;margin:.2em 0}\n")
                .append("p.summary{font-weight:600}p.summary.ok{color:#1a7f37}p.summary.pending{color:#9a6700}\n")
                .append("</style>\n</head>\n<body>\n");
        out.append("<h1>relay-link link ").append(escape(status.link())).append("</h1>\n");
        out.append("<p class=\"meta\">observed at ").append(escape(status.observedAt().toString())).append(" on ")
                .append(escape(String.join(", ", status.sides()))).append("</p>\n");
        int pending = status.pendingActions().size();
        out.append(pending == 0 ? "<p class=\"summary ok\">nothing to do: the link matches its spec</p>\n"
                : "<p class=\"summary pending\">" + pending + (pending == 1 ? " action" : " actions") + " pending</p>\n");
        for (LinkStatus.Table table : status.tables()) {
            out.append("<h2>").append(escape(table.title())).append(" (").append(table.rows().size()).append(")</h2>\n");
            if (table.rows().isEmpty()) {
                out.append("<p class=\"none\">none</p>\n");
                continue;
            }
            out.append("<table>\n<tr>");
            table.columns().forEach(c -> out.append("<th>").append(escape(c)).append("</th>"));
            out.append("</tr>\n");
            for (List<String> row : table.rows()) {
                out.append("<tr>");
                for (String cell : row) {
                    String css = cell.equals("yes") ? " class=\"yes\"" : cell.equals("no") ? " class=\"no\"" : "";
                    out.append("<td").append(css).append(">").append(escape(cell)).append("</td>");
                }
                out.append("</tr>\n");
            }
            out.append("</table>\n");
        }
        return out.append("</body>\n</html>\n").toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String cut(String cell) {
        return cell.length() <= TEXT_CELL ? cell : cell.substring(0, TEXT_CELL - 3) + "...";
    }
}
