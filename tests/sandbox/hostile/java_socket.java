// expect: IR java.net.
// A TCP connection: the JVM's socket is refused (EACCES), and the
// exception (a BindException or SocketException, by JDK) is not caught.
import java.net.Socket;

public class Main {
    public static void main(String[] args) throws Exception {
        Socket s = new Socket("127.0.0.1", 80);
        System.out.println("BREACH: connected " + s);
    }
}
