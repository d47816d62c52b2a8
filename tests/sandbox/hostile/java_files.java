// expect: AC
// Reading secrets and writing outside, the Java way: every attempt must
// fail with an exception the program catches.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class Main {
    public static void main(String[] args) {
        List<String> breaches = new ArrayList<>();
        String[] secrets = {"/etc/shadow", "@CONFIG@", "@OWN_ANSWER@", "@OTHER_DATA@", "@SENTINEL@"};
        for (String path : secrets) {
            try {
                Files.readAllBytes(Path.of(path));
                breaches.add("read " + path);
            } catch (Exception e) {
            }
        }
        String[] targets = {"@SENTINEL@", "@SENTINEL_DIR@/java-created", "created-here", "/tmp/judge-sandbox-test-file"};
        for (String path : targets) {
            try {
                Files.writeString(Path.of(path), "x");
                breaches.add("wrote " + path);
            } catch (Exception e) {
            }
        }
        try {
            Files.list(Path.of("@SENTINEL_DIR@")).close();
            breaches.add("listed the sentinel's folder");
        } catch (Exception e) {
        }
        System.out.println(breaches.isEmpty() ? "safe" : "BREACH: " + String.join(", ", breaches));
    }
}
