// expect: MLE
// A thread bomb: past the sandbox's task limit the JVM cannot start a
// thread, which it reports as an OutOfMemoryError (MLE, as on DMOJ); the
// threads are daemons, so the JVM ends with the uncaught error.
public class Main {
    public static void main(String[] args) {
        while (true) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(100000);
                } catch (InterruptedException e) {
                }
            });
            t.setDaemon(true);
            t.start();
        }
    }
}
