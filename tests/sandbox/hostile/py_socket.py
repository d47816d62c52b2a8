# expect: RTE socket syscall disallowed
import socket
socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print("BREACH: socket created")
