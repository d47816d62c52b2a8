# expect: OLE
import sys
line = "x" * 65535 + "\n"
while True:
    sys.stdout.write(line)
