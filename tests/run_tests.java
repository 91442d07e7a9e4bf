///usr/bin/env "$(dirname "$0")/../jbang" "$0" "$@" ; exit $?
//JAVA 25
//PREVIEW
//DESCRIPTION Runs every JUnit 5 test of the playground and ends with one line: N passed, N failed.
//DEPS org.junit.jupiter:junit-jupiter:5.14.4
//DEPS org.junit.platform:junit-platform-launcher:1.14.4
//SOURCES TestSupport.java *Test.java

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

// One test file per family; each sources only the scripts it tests (//SOURCES at its top).
/** `./jbang tests/run_tests.java [TestClass ...]`: all test classes, or the ones named. */
class run_tests {
    static final List<Class<?>> ALL = List.of(WebScrapeModelsTest.class, WebScrapeCliTest.class,
            SiteSimulatorTest.class, ComparisonDriverTest.class, CpuTest.class, IoTest.class, WorkerPoolTest.class,
            InterleaveTest.class, ClusterTest.class, LayoutTest.class);

    public static void main(String[] args) throws Exception {
        List<String> known = ALL.stream().map(Class::getSimpleName).toList();
        List<String> unknown = Arrays.stream(args).filter(a -> !known.contains(a)).toList();
        if (!unknown.isEmpty()) {
            System.err.println("run_tests: no test class " + unknown + "; the classes are " + known);
            System.exit(2);
        }
        // a killed parent (a CI step stopped by hand) must not leave the tests running: they end with it
        ProcessHandle.current().parent().ifPresent(ChildJvm::exitWhenGone);
        List<Class<?>> classes = args.length == 0 ? ALL
                : ALL.stream().filter(c -> List.of(args).contains(c.getSimpleName())).toList();
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(classes.stream().map(c -> selectClass(c)).toList()).build();
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
}
