import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time, peak RSS and peak live platform threads of this JVM from {@link #start()} on, plus what child
 * JVMs said they used ({@link #addChild}): their CPU is not this process's.
 */
final class JvmUsage {
    private final long cpuStart = processCpuNanos();
    private final AtomicLong childCpuNanos = new AtomicLong();
    private final AtomicLong childPeakRssBytes = new AtomicLong();

    static JvmUsage start() {
        ManagementFactory.getThreadMXBean().resetPeakThreadCount();
        return new JvmUsage();
    }

    /** A child JVM's own usage, as it reported it on exit (null when it died without a word). */
    void addChild(ChildJvm.Usage usage) {
        if (usage == null) return;
        childCpuNanos.addAndGet((long) (usage.cpuSeconds() * 1e9));
        childPeakRssBytes.addAndGet((long) (usage.peakRssMiB() * 1024 * 1024));
    }

    double cpuSeconds() {
        return (processCpuNanos() - cpuStart + childCpuNanos.get()) / 1e9;
    }

    /** This JVM's peak, plus each child's (the children ran side by side). */
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

    /**
     * What a child JVM used, as it ends, inside its parent's clock: its CPU from the kernel's count (clock ticks, 10 ms
     * here) through ProcessHandle, so that a child that never needed JMX does not build the platform MBeans to say it.
     */
    static ChildJvm.Usage childUsage() {
        long cpuNanos = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        return new ChildJvm.Usage(cpuNanos / 1e9, peakRssBytes() / (1024.0 * 1024));
    }

    /** VmHWM, the kernel's high-water mark of this process's resident memory (Linux); 0 elsewhere. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))   // "VmHWM:	   41236 kB"
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return 0;
    }
}
