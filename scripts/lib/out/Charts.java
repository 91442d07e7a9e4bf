//DEPS org.knowm.xchart:xchart:3.8.8

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The pictures: a bar chart of the medians beside their lower bounds, and a timeline of what ran when. PNG or SVG by the file's name. */
final class Charts {
    private Charts() {}

    /**
     * Colours that can be told apart, also side by side in thin lines (Tableau 10); XChart's default series colours
     * are pale and close to each other.
     */
    static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2),
            new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0x79706E)};

    /** Axis numbers as people write them: 0.05, not .05; 1,200, not 1200. */
    static final String NUMBERS = "#,##0.###";

    /** A bar chart of each model's median seconds beside its lower bound (save() it to a file, or inline it in a report). */
    static CategoryChart barChart(String title, List<String> models, List<Double> medians, List<Double> lowerBounds) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("model").yAxisTitle("seconds (median)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setSeriesColors(new Color[] {PALETTE[0], PALETTE[1]}).setDecimalPattern(NUMBERS);
        chart.addSeries("wall time", models, medians);
        if (lowerBounds.stream().allMatch(b -> b != null))
            chart.addSeries("lower bound (the larger)", models, lowerBounds);
        return chart;
    }

    static final int MAX_LANES = 400;

    /**
     * One stretch of one lane in a timeline: running (drawn thick) or waiting (drawn thin), in seconds from the start;
     * label, when not null, is written on the bar (which task it was).
     */
    record Span(String lane, double start, double end, boolean running, String label) {
        Span(String lane, double start, double end, boolean running) {
            this(lane, start, end, running, null);
        }
    }

    /** A timeline and every lane of its run, in the order drawn (drawn or not: past MAX_LANES they are not). */
    record Timeline(XYChart chart, List<String> lanes) {}

    /**
     * A timeline, one lane per task or thread, as the execution diagrams tutorials draw by hand: a thick bar
     * where the lane was running, a thin line where it was waiting. PNG or SVG by the file's name. Up to 30
     * lanes are named in the legend, in the order of their names (thread 2 before thread 10), and a bar with a
     * label carries it; more (a virtual thread per download) are drawn thinner, without names, in the order they
     * started. Returns every lane of the run, in order, drawn or not.
     */
    static List<String> timeline(Path file, String title, List<Span> spans) throws IOException {
        Timeline timeline = timeline(title, spans);
        save(timeline.chart(), file, "--timeline");
        return timeline.lanes();
    }

    /** The timeline itself (for a file, or inline in an HTML report). */
    static Timeline timeline(String title, List<Span> spans) {
        List<String> all = spans.stream().map(Span::lane).distinct().toList();
        if (all.size() <= 30) all = all.stream().sorted(NATURAL).toList();
        // 9,970 virtual threads would make a picture 30,000 pixels high: the first 400 lanes tell the story
        List<String> lanes = all.size() > MAX_LANES ? all.subList(0, MAX_LANES) : all;
        Map<String, Integer> laneOf = new HashMap<>();
        for (String lane : lanes) laneOf.put(lane, laneOf.size());
        // lane by lane, so the legend (a lane's first span carries its name) lists them in the lanes' order
        spans = spans.stream().filter(span -> laneOf.containsKey(span.lane())).sorted(Comparator.comparing(span -> laneOf.get(span.lane()))).toList();
        boolean named = lanes.size() <= 30;
        int lanePixels = Math.clamp(1200 / Math.max(1, lanes.size()), 3, 40);
        double thick = lanePixels * (named ? 0.35 : 0.8), thin = Math.max(0.5, thick / 7);
        XYChart chart = new XYChartBuilder().width(1100).height(150 + lanePixels * lanes.size())
                .title(named ? title : title + (lanes.size() < all.size()
                        ? String.format(" (the first %,d of %,d lanes)", lanes.size(), all.size()) : " (" + lanes.size() + " lanes)"))
                .xAxisTitle("seconds from the start").yAxisTitle("").build();
        var style = chart.getStyler();
        style.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        style.setLegendVisible(named);
        style.setMarkerSize(0);
        style.setYAxisTicksVisible(false);
        style.setYAxisMin(-0.5).setYAxisMax(lanes.size() - 0.5).setXAxisMin(0.0);
        style.setDecimalPattern(NUMBERS);
        style.setAnnotationTextFontColor(Color.BLACK);
        Set<String> inLegend = new HashSet<>();
        // a span shorter than 0.3% of the run would not show; drawn that long, it does
        double shortest = 0.003 * spans.stream().mapToDouble(Span::end).max().orElse(1);
        int n = 0;
        for (Span span : spans) {
            int lane = laneOf.get(span.lane());
            double y = lanes.size() - 1 - lane;   // the first lane on top, as in the legend
            boolean first = inLegend.add(span.lane());   // a lane's first span carries its name into the legend
            var series = chart.addSeries(first ? span.lane() : "span " + n++,
                    new double[] {span.start(), Math.max(span.end(), span.start() + shortest)}, new double[] {y, y});
            series.setShowInLegend(first);
            float width = (float) (span.running() ? thick : thin);   // square ends: a bar is as long as it ran
            series.setLineStyle(new java.awt.BasicStroke(width, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER))
                    .setLineWidth(width).setLineColor(PALETTE[lane % PALETTE.length]);
            if (named && span.label() != null)   // above the bar's middle, in the chart's numbers, not pixels
                chart.addAnnotation(new AnnotationText(span.label(), (span.start() + span.end()) / 2, y + 0.3, false));
        }
        return new Timeline(chart, all);
    }

    private static final java.util.regex.Pattern DIGITS_OR_NOT = java.util.regex.Pattern.compile("\\d+|\\D+");

    /** Names in the order people count: "worker 2" before "worker 10" (runs of digits compared as numbers). */
    static final Comparator<String> NATURAL = (a, b) -> {
        var pa = DIGITS_OR_NOT.matcher(a);
        var pb = DIGITS_OR_NOT.matcher(b);
        while (pa.find() && pb.find()) {
            String x = pa.group(), y = pb.group();
            int c = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0))
                    ? new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y)) : x.compareTo(y);
            if (c != 0) return c;
        }
        return Integer.compare(a.length(), b.length());
    };

    /** The chart as SVG text, to put inline in a page. */
    static String svg(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** FILE.png for one model becomes FILE-model.png when a driver draws every model. */
    static Path perModel(Path file, String model) {
        return Path.of(file.toString().replaceFirst("(\\.[^.]+)$", "-" + model + "$1"));
    }

    /** Why a chart cannot be written to this file, in one line, before any run starts; null when it can. */
    static String fileProblem(Path file, String option) {
        if (file == null) return null;
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png") && !name.endsWith(".svg")) return option + " takes a .png or .svg file name, got " + file;
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) return option + ": no such folder " + folder;
        if (folder != null && !canWriteIn(folder)) return option + ": cannot write to the folder " + folder;
        return null;
    }

    /** Tries: permissions say little to root, and nothing about a read-only file system. */
    private static boolean canWriteIn(Path folder) {
        try {
            Files.delete(Files.createTempFile(folder, ".write-probe", ".tmp"));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Writes the chart as PNG or SVG by the file's name. */
    static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file, String option) throws IOException {
        String problem = fileProblem(file, option);
        if (problem != null) throw new IOException(problem);
        String base = file.toString().replaceFirst("\\.(?i)(png|svg)$", "");
        if (file.toString().toLowerCase(Locale.ROOT).endsWith(".svg"))
            VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        else BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
