///usr/bin/env "$(dirname "$0")/../../jbang" "$0" "$@" ; exit $?
//JAVA 25+
//RUNTIME_OPTIONS -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr
//DESCRIPTION Benchmark: the CPU work takes twice as long for twice the steps (the JIT cannot fold it), and the naive loop it folds.
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../lib/cpu/CpuWork.java

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cpu_linearity", mixinStandardHelpOptions = true, version = "cpu_linearity 1.0",
        description = "Times N and 2N steps of the CPU work (the ratio should be ~2), and a naive count += 1 loop the JIT folds.")
class cpu_linearity implements Callable<Integer> {
    @Option(names = "--millions", description = "N, in million steps (default: ${DEFAULT-VALUE}).")
    int millions = 360;

    private static volatile long sink;   // the results go somewhere the JIT cannot see through

    public static void main(String[] args) {
        System.exit(new CommandLine(new cpu_linearity()).execute(args));
    }

    @Override
    public Integer call() {
        if (millions < 1 || millions > 100_000) {
            System.err.println("cpu_linearity: --millions must be 1..100000, got " + millions);
            return CommandLine.ExitCode.USAGE;
        }
        long n = millions * CpuWork.STEPS_PER_MILLION;
        for (int i = 0; i < 3; i++) CpuWork.crunch(n / 10);   // let the JIT compile crunch first
        double once = medianOf(5, () -> CpuWork.crunch(n));
        double twice = medianOf(5, () -> CpuWork.crunch(2 * n));
        System.out.printf("crunch: %,d steps %.3f s, %,d steps %.3f s, ratio %.2f (should be ~2.00), %.3f ns per step%n",
                n, once, 2 * n, twice, twice / once, once * 1e9 / n);
        long naive = 2_000_000_000L;
        double naiveSeconds = medianOf(5, () -> CpuWork.naiveCount(naive));
        System.out.printf("naive count += 1: %,d steps in %.6f s (%.4f ns per step): the JIT folded the loop, nothing was counted%n",
                naive, naiveSeconds, naiveSeconds * 1e9 / naive);
        return CommandLine.ExitCode.OK;
    }

    private static double medianOf(int times, LongSupplier work) {
        double[] seconds = new double[times];
        for (int i = 0; i < times; i++) {
            long begin = System.nanoTime();
            sink = work.getAsLong();
            seconds[i] = (System.nanoTime() - begin) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[times / 2];
    }
}
