//DEPS org.knowm.xchart:xchart:3.8.8

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The pictures: a bar chart of the medians beside their lower bounds, and a timeline of what ran when. PNG or SVG by the file's name. */
final class Charts {
    private Charts() {}

    /** A bar chart of each model's median seconds beside its lower bound, as PNG or SVG by the file's name. */
    static void barChart(Path file, String title, List<String> models, List<Double> medians, List<Double> lowerBounds)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("model").yAxisTitle("seconds (median)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.addSeries("wall time", models, medians);
        if (lowerBounds.stream().allMatch(b -> b != null))
            chart.addSeries("lower bound (the larger)", models, lowerBounds);
        save(chart, file, "--chart");
    }

    static final int MAX_LANES = 400;

    /** One stretch of one lane in a timeline: running (drawn thick) or waiting (drawn thin), in seconds from the start. */
    record Span(String lane, double start, double end, boolean running) {}

    /**
     * A timeline, one lane per task or thread, as the execution diagrams tutorials draw by hand: a thick bar
     * where the lane was running, a thin line where it was waiting. PNG or SVG by the file's name. Up to 30
     * lanes are named in the legend; more (a virtual thread per download) are drawn thinner, without names.
     * Returns every lane of the run, in order, drawn or not.
     */
    static List<String> timeline(Path file, String title, List<Span> spans) throws IOException {
        List<String> all = spans.stream().map(Span::lane).distinct().toList();
        // 9,970 virtual threads would make a picture 30,000 pixels high: the first 400 lanes tell the story
        List<String> lanes = all.size() > MAX_LANES ? all.subList(0, MAX_LANES) : all;
        Map<String, Integer> laneOf = new HashMap<>();
        for (String lane : lanes) laneOf.put(lane, laneOf.size());
        if (lanes.size() < all.size()) spans = spans.stream().filter(span -> laneOf.containsKey(span.lane())).toList();
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
        java.awt.Color[] palette = style.getSeriesColors();
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
                    .setLineWidth(width).setLineColor(palette[lane % palette.length]);
        }
        save(chart, file, "--timeline");
        return all;
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
