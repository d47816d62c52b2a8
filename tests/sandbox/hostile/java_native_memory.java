// expect: MLE
// Memory outside the heap (-Xmx does not bound it): direct buffers the
// program writes into, until the supervisor's measurement stops it.
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

public class Main {
    public static void main(String[] args) throws Exception {
        List<Object> keep = new ArrayList<>();
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        java.lang.reflect.Field f = unsafeClass.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
        while (true) {
            long block = unsafe.allocateMemory(1 << 24);
            unsafe.setMemory(block, 1 << 24, (byte) 1);
            keep.add(block);
        }
    }
}
