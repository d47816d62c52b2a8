// System.out.println flushes: Java needs nothing for an interactive problem.
import java.util.Scanner;

public class Guess {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long n = in.nextLong(), lo = 1, hi = n;
        while (true) {
            long mid = lo + (hi - lo) / 2;
            System.out.println(mid);
            String reply = in.next();
            if (reply.startsWith("="))
                return;
            if (reply.startsWith("+"))
                lo = mid + 1;
            else
                hi = mid - 1;
        }
    }
}
