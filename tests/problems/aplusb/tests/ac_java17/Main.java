import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.stream.Collectors;

// Java 17 only: a record, var, and a switch expression.
public class Main {
    record Pair(long a, long b) {
        long sum() {
            return a + b;
        }
    }

    static Pair parse(String line) {
        var parts = line.trim().split("\\s+");
        return new Pair(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    public static void main(String[] args) throws IOException {
        var in = new BufferedReader(new InputStreamReader(System.in));
        int t = Integer.parseInt(in.readLine().trim());
        var out = in.lines().limit(t).map(Main::parse).map(p -> switch (Long.signum(p.sum())) {
            case -1, 0, 1 -> Long.toString(p.sum());
            default -> throw new IllegalStateException();
        }).collect(Collectors.joining("\n"));
        System.out.println(out);
    }
}
