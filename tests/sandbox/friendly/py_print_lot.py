# expect: AC
# problem: big
import sys
sys.stdout.write("".join("%d\n" % i for i in range(1000000)))
