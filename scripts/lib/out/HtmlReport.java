//DEPS info.picocli:picocli:4.7.7
//SOURCES Charts.java

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** --report FILE.html, the option every comparison driver shares (picocli mixin). */
class ReportOption {
    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write the run as one self-contained HTML page: the table, the chart and each model's timeline.")
    Path file;
    @Spec(Spec.Target.MIXEE) CommandSpec driver;

    String problem() {
        return HtmlReport.fileProblem(file);
    }

    /** A new page for this run; its command line is the one the user typed, as a JBang command. */
    HtmlReport start(String title) {
        String args = driver.commandLine().getParseResult().originalArgs().stream()
                .map(a -> a.isEmpty() || a.matches(".*[\\s'\"$].*") ? "'" + a.replace("'", "'\\''") + "'" : a).collect(Collectors.joining(" "));
        return new HtmlReport(title, ("./jbang scripts/" + driver.name() + ".java " + args).strip());
    }

    /** Writes the page to --report's file, and says where on stderr. */
    void write(HtmlReport page) throws IOException {
        page.write(file);
        System.err.println("report written to " + file);
    }
}

/**
 * One comparison run as one self-contained HTML page (a driver's --report FILE.html): the command, the machine, the
 * JDK and the date; then what the driver adds, in order: its table, its charts as inline SVG, its sentences. No
 * script, no style sheet or font from the network: the page opens the same offline, in a year, or attached to a mail.
 */
final class HtmlReport {
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private int charts;

    /** {@code command}: what the user typed, e.g. "./jbang scripts/DRIVER.java --runs 5". */
    HtmlReport(String title, String command) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n<dl class=\"run\">\n");
        item("command", "<code>" + escape(command) + "</code>");
        item("machine", escape(machine()));
        item("JDK", escape(System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"));
        item("date", escape(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))));
        body.append("</dl>\n");
    }

    private void item(String term, String html) {
        body.append("<dt>").append(term).append("</dt><dd>").append(html).append("</dd>\n");
    }

    HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** The driver's table; each row is marked with its first cell (the model), {@code <tr data-model="virtual">}. */
    HtmlReport table(List<String> headers, List<List<String>> rows) {
        body.append("<table>\n<thead><tr>");
        headers.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            body.append("<tr data-model=\"").append(escape(row.getFirst())).append("\">");
            for (String cell : row) body.append(cell.matches("[-+]?[\\d,.]+[x%]?|[\\d.]+-[\\d.]+|-") ? "<td class=\"n\">" : "<td>").append(escape(cell)).append("</td>");
            body.append("</tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return this;
    }

    /**
     * A chart drawn inline as SVG (~0.2-0.4 MB each), in a figure with this id and caption. The SVG's own ids (its clip paths) get a
     * prefix per chart, so that two pictures on one page never clip each other.
     */
    HtmlReport chart(String id, String caption, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) throws IOException {
        String prefix = "c" + ++charts + "-";
        String svg = Charts.svg(chart);
        svg = svg.substring(svg.indexOf("<svg"))   // no XML prolog or DOCTYPE inside HTML
                // XChart draws its letters as outlines: coordinates to 0.1 px and no indentation halve the page
                .replaceAll("(\\d\\.\\d)\\d+", "$1").replaceAll("\n\\s+", "\n")
                .replace("id=\"", "id=\"" + prefix).replace("url(#", "url(#" + prefix).replace("href=\"#", "href=\"#" + prefix)
                .replaceFirst("(<svg[^>]*>)", "$1" + java.util.regex.Matcher.quoteReplacement("<title>" + escape(caption) + "</title>"));
        body.append("<figure id=\"").append(escape(id)).append("\">").append(svg)
                .append("<figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
        return this;
    }

    /**
     * One model's section: its name, its sentence, and the timeline of its last measured run in a figure whose id is
     * timeline-MODEL.
     */
    HtmlReport model(String model, String sentence, String timelineTitle, List<Charts.Span> spans) throws IOException {
        return heading(model).paragraph(sentence)
                .chart("timeline-" + model, timelineTitle + " (its last measured run)", Charts.timeline(timelineTitle, spans).chart());
    }

    /** Writes the page (to a temporary file first, then moved into place: never half a page). */
    void write(Path file) throws IOException {
        String page = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                body { font-family: system-ui, sans-serif; max-width: 1150px; margin: 2em auto; padding: 0 1em; color: #222; }
                dl.run { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
                dt { font-weight: bold; }
                table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
                th, td { border-bottom: 1px solid #ccc; padding: .25em .6em; text-align: left; }
                td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
                figure { margin: 1.5em 0; }
                figure svg { max-width: 100%%; height: auto; }
                figcaption { color: #555; font-size: 0.9em; }
                </style>
                </head>
                <body>
                %s</body>
                </html>
                """.formatted(escape(title), body);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.writeString(partial, page, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Why a report cannot be written to this file, in one line, before any run starts; null when it can. */
    static String fileProblem(Path file) {
        if (file == null) return null;
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".html"))
            return "--report takes a .html file name, got " + file;
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) return "--report: no such folder " + folder;
        return null;
    }

    /** "2 cores AMD EPYC 7B13, 24 GiB, Linux 6.1.0": what the numbers were measured on. */
    static String machine() {
        String cpu = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> " " + l.substring(l.indexOf(':') + 1).strip()).orElse("");
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count says enough
        }
        long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format("%d cores%s, %.0f GiB, %s %s", Runtime.getRuntime().availableProcessors(), cpu,
                bytes / (1024.0 * 1024 * 1024), System.getProperty("os.name"), System.getProperty("os.version"));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
