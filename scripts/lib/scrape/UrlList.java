import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The URL list file: one URL per line; blank lines and # comments are skipped. */
final class UrlList {
    static final class BadInput extends Exception {
        BadInput(String message) { super(message); }
    }

    /** The default list is the repo's url_list, whether the user runs from the repo root or scripts/. */
    static Path defaultFile() {
        for (Path candidate : List.of(Path.of("url_list"), Path.of("..", "url_list")))
            if (Files.isRegularFile(candidate)) return candidate;
        return Path.of("url_list");
    }

    static List<String> read(Path file) throws BadInput, IOException {
        Path path = file != null ? file : defaultFile();
        if (!Files.isRegularFile(path))
            throw new BadInput("URL file not found: " + path + " (run from the repo root, pass --urls FILE, or use --sim)");
        List<String> urls = Files.readAllLines(path, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        if (urls.isEmpty()) throw new BadInput("no URLs in " + path + " (only blank lines and # comments)");
        return urls;
    }

    static List<String> repeat(List<String> urls, int times) throws BadInput {
        if (times < 1) throw new BadInput("--repeat must be at least 1, got " + times);
        List<String> repeated = new ArrayList<>(urls.size() * times);
        for (int i = 0; i < times; i++) repeated.addAll(urls);
        return repeated;
    }
}
