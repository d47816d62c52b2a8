# expect: RTE
# A shell through os.system: the fork (or the exec) is refused.
import os
os.system("echo BREACH")
print("BREACH: os.system returned")
