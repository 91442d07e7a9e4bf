import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** CPU time, peak RSS and peak live platform threads of this JVM (and of child JVMs that report theirs). */
final class JvmUsage {
    /** Child JVMs (ws_processes) add what they used here: their CPU is not this process's. */
    static final AtomicLong childCpuNanos = new AtomicLong();
    static final AtomicLong childPeakRssBytes = new AtomicLong();

    private final long cpuStart = processCpuNanos();
    private final long childCpuStart = childCpuNanos.get();

    static JvmUsage start() {
        ManagementFactory.getThreadMXBean().resetPeakThreadCount();
        return new JvmUsage();
    }

    double cpuSeconds() {
        return (processCpuNanos() - cpuStart + childCpuNanos.get() - childCpuStart) / 1e9;
    }

    double peakRssMiB() {
        return (peakRssBytes() + childPeakRssBytes.get()) / (1024.0 * 1024);
    }

    int peakThreads() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();   // counts platform threads only
        return threads.getPeakThreadCount();
    }

    static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** VmHWM, the kernel's high-water mark of this process's resident memory (Linux); 0 elsewhere. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return 0;
    }
}
