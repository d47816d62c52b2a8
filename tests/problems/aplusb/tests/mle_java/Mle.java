import java.util.ArrayList;
import java.util.List;

public class Mle {
    public static void main(String[] args) {
        List<long[]> keep = new ArrayList<>();
        while (true)
            keep.add(new long[1 << 17]);
    }
}
