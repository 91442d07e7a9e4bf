import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How much of the files the kernel holds in its page cache, from util-linux's fincore where it exists. */
final class PageCache {
    private PageCache() {}

    /** Asks the kernel to drop each file's cached pages: dd reads nothing (count=0) and advises DONTNEED. */
    static void evict(List<Path> files) throws IOException, InterruptedException {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) continue;
            Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
                    .redirectErrorStream(true).start();
            String out = new String(dd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (dd.waitFor() != 0) throw new IOException("could not evict " + file + " from the page cache: " + out);
        }
    }

    static String describe(List<Path> files) {
        List<String> command = new ArrayList<>(List.of("fincore", "--bytes", "--noheadings", "--output", "RES,SIZE"));
        files.stream().filter(Files::isRegularFile).forEach(f -> command.add(f.toString()));
        try {
            Process fincore = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(fincore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (fincore.waitFor() != 0) return "unknown (fincore failed)";
            long cached = 0, size = 0;
            for (String line : out.strip().split("\n")) {
                String[] cols = line.strip().split("\\s+");
                long resident = Long.parseLong(cols[0]), bytes = Long.parseLong(cols[1]);
                cached += Math.min(resident, bytes);   // resident is whole 4 KiB pages: a 25-byte file is "4,096 bytes cached"
                size += bytes;
            }
            double share = size == 0 ? 0 : 100.0 * cached / size;
            return String.format("%.0f%% cached (%s)", share, share > 95 ? "warm" : share < 5 ? "cold" : "partly warm");
        } catch (IOException | RuntimeException | InterruptedException e) {
            return "unknown (no fincore: util-linux)";
        }
    }
}
