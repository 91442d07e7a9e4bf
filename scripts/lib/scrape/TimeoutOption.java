//DEPS info.picocli:picocli:4.7.7

import java.time.Duration;
import picocli.CommandLine.Option;

/** --timeout, defined once for every script that downloads (picocli mixin). */
class TimeoutOption {
    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Per request: seconds for the headers, then as many again for the body (default: ${DEFAULT-VALUE}).")
    double seconds = 10;

    Duration duration() {
        return Duration.ofMillis((long) (seconds * 1000));
    }

    /** Null when the value can be used; otherwise one line naming it. */
    String problem() {
        return seconds >= 0.001 ? null : "--timeout must be at least 0.001 s, got " + seconds;
    }
}
