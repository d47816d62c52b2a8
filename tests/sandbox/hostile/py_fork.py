# expect: RTE clone syscall disallowed
import os
os.fork()
print("BREACH: forked")
