import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A table of text cells in the formats a driver prints: aligned text, markdown, csv (json is the caller's: it has the typed rows). */
final class Table {
    enum Format { table, markdown, csv, json }

    private Table() {}

    static String render(Format format, List<String> headers, List<List<String>> rows) {
        return switch (format) {
            case csv -> csvLine(headers) + rows.stream().map(Table::csvLine).collect(Collectors.joining());
            case markdown -> "| " + String.join(" | ", headers) + " |\n"
                    + "|" + headers.stream().map(h -> "---|").collect(Collectors.joining()) + "\n"
                    + rows.stream().map(r -> "| " + String.join(" | ", r) + " |\n").collect(Collectors.joining());
            case table, json -> aligned(headers, rows);
        };
    }

    private static String aligned(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>(List.of(headers));
        all.addAll(rows);
        for (List<String> row : all)
            for (int c = 0; c < row.size(); c++) widths[c] = Math.max(widths[c], row.get(c).length());
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < all.size(); r++) {
            List<String> row = all.get(r);
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                // the first column reads left to right, numbers line up on the right
                out.append(c == 0 ? String.format("%-" + widths[c] + "s", cell) : String.format("  %" + widths[c] + "s", cell));
            }
            out.append('\n');
            if (r == 0) out.append("-".repeat(Arrays.stream(widths).sum() + 2 * (widths.length - 1))).append('\n');
        }
        return out.toString();
    }

    private static String csvLine(List<String> cells) {
        return cells.stream().map(cell -> cell.contains(",") || cell.contains("\"")
                ? '"' + cell.replace("\"", "\"\"") + '"' : cell).collect(Collectors.joining(",")) + "\n";
    }
}
