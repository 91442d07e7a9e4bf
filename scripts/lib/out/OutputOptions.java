//DEPS info.picocli:picocli:4.7.7
//SOURCES Charts.java

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --json, defined once for every script that has it (picocli mixin). */
class JsonOption {
    @Option(names = "--json", description = "Print JSON on stdout and nothing else there.")
    boolean on;
}

/** --timeline, defined once for every script that draws one (picocli mixin). */
class TimelineOption {
    @Option(names = "--timeline", paramLabel = "FILE", description = "Also draw what ran when, one lane per thread, process or worker:"
            + " FILE.png or FILE.svg (a driver draws each model's last run to FILE-model.png).")
    Path file;

    /** Why the picture cannot be written there, in one line; null when it can. */
    String problem() {
        return Charts.fileProblem(file, "--timeline");
    }
}
