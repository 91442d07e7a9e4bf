import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts another JVM on this JVM's own java and classpath: no JBang, no second compile. */
final class ChildJvm {
    static List<String> command(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().contains("--enable-preview"))
            command.add("--enable-preview");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return command;
    }
}
