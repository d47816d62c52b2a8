// expect: MLE
// Filling the heap: -Xmx is the memory limit, and the process is measured
// while it runs.
import java.util.ArrayList;
import java.util.List;

public class Main {
    public static void main(String[] args) {
        List<long[]> keep = new ArrayList<>();
        while (true)
            keep.add(new long[1 << 17]);
    }
}
