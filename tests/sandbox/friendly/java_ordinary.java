// expect: AC
// Reading input, collections, streams, recursion, threads, a big array.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

public class Main {
    static int depth(int n) {
        return n == 0 ? 0 : depth(n - 1) + 1;
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int n = Integer.parseInt(in.readLine().trim());
        long[] nums = java.util.Arrays.stream(in.readLine().trim().split(" ")).mapToLong(Long::parseLong).toArray();
        TreeMap<Long, Integer> parity = new TreeMap<>();
        for (long x : nums)
            parity.merge(x % 2, 1, Integer::sum);
        AtomicLong total = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final int start = t;
            Thread w = new Thread(() -> {
                for (int i = start; i < n; i += 4)
                    total.addAndGet(nums[i]);
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers)
            w.join();
        int[] big = new int[1000000];
        for (int i = 0; i < big.length; i++)
            big[i] = i * i;
        boolean ok = total.get() == 15 && parity.get(1L) == 3 && depth(10000) == 10000 && big[999] == 998001;
        System.out.println(ok ? "safe" : "wrong");
    }
}
