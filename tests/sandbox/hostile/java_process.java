// expect: RTE clone syscall disallowed
// ProcessBuilder: the JVM's spawn of a helper process kills it.
public class Main {
    public static void main(String[] args) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "echo BREACH: started a shell").inheritIO().start();
        p.waitFor();
        System.out.println("BREACH: ProcessBuilder returned");
    }
}
