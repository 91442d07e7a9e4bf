import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /** Runs a child JVM to its end and returns its stdout; a failure becomes an IOException with its stderr. */
    static String output(String name, List<String> command) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("child-jvm", ".err");
        try {
            Process child = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = child.waitFor();
            if (exit != 0 || out.isBlank())
                throw new IOException(name + " failed (exit code " + exit + "): " + Files.readString(errors).strip());
            return out;
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
