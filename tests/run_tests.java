///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//DESCRIPTION Runs every JUnit 5 test of the playground and ends with one line: N passed, N failed.
//DEPS org.junit.jupiter:junit-jupiter:5.14.4
//DEPS org.junit.platform:junit-platform-launcher:1.14.4
//SOURCES TestSupport.java *Test.java

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

// One test file per family; each sources only the scripts it tests (//SOURCES at its top). The classes are found, not
// listed: every *Test.java that //SOURCES above compiles is run.
/** `./jbang tests/run_tests.java [TestClass ...]`: all test classes, or the ones named. */
class run_tests {
    public static void main(String[] args) throws Exception {
        Path compiled = Path.of(run_tests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> known = testClasses(compiled);
        List<String> unknown = Arrays.stream(args).filter(a -> !known.contains(a)).toList();
        if (!unknown.isEmpty()) {
            System.err.println("run_tests: no test class " + unknown + "; the classes are " + known);
            System.exit(2);
        }
        // a killed parent (a CI step stopped by hand) must not leave the tests running: they end with it
        ProcessHandle.current().parent().ifPresent(ChildJvm::exitWhenGone);
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors((args.length == 0 ? known : List.of(args)).stream().map(c -> selectClass(c)).toList()).build();
        var summary = new SummaryGeneratingListener();
        TestExecutionListener printer = new TestExecutionListener() {
            @Override public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest()) return;
                String name = test.getLegacyReportingName();
                switch (result.getStatus()) {
                    case SUCCESSFUL -> System.out.println("  passed  " + name);
                    case ABORTED -> System.out.println("  skipped " + name + ": " + result.getThrowable().map(Throwable::getMessage).orElse(""));
                    case FAILED -> System.out.println("  FAILED  " + name + ": " + result.getThrowable().map(Throwable::toString).orElse(""));
                }
            }
        };
        LauncherFactory.create().execute(request, summary, printer);
        var s = summary.getSummary();
        s.getFailures().forEach(failure -> {
            System.out.println("\n" + failure.getTestIdentifier().getLegacyReportingName() + ":");
            Throwable e = failure.getException();
            System.out.println("  " + e);
            Arrays.stream(e.getStackTrace()).limit(6).forEach(frame -> System.out.println("    at " + frame));
        });
        long failed = s.getTestsFailedCount() + s.getContainersFailedCount();
        System.out.printf("%d passed, %d failed, %d skipped%n", s.getTestsSucceededCount(), failed, s.getTestsAbortedCount() + s.getTestsSkippedCount());
        System.exit(failed == 0 && s.getTestsFoundCount() > 0 ? 0 : 1);
    }

    /** The top-level classes named *Test in the jar JBang compiled these tests into, sorted. */
    static List<String> testClasses(Path compiled) throws Exception {
        Pattern testClass = Pattern.compile("[A-Z]\\w*Test\\.class");
        try (JarFile jar = new JarFile(compiled.toFile())) {
            return jar.stream().map(JarEntry::getName).filter(n -> testClass.matcher(n).matches())
                    .map(n -> n.replace(".class", "")).sorted().toList();
        }
    }
}
