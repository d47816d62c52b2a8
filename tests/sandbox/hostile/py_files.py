# expect: AC
# Reading secrets and writing outside, the Python way.
import os
breaches = []
for path in ["/etc/shadow", "@CONFIG@", "@OWN_ANSWER@", "@OTHER_DATA@", "@SENTINEL@",
             "/proc/%d/environ" % os.getppid()]:
    try:
        with open(path) as f:
            f.read(1)
        breaches.append("read " + path)
    except OSError:
        pass
for path in ["@SENTINEL@", "@SENTINEL_DIR@/py-created", "created-here"]:
    try:
        with open(path, "w") as f:
            f.write("x")
        breaches.append("wrote " + path)
    except OSError:
        pass
try:
    os.listdir("@SENTINEL_DIR@")
    breaches.append("listed the sentinel's folder")
except OSError:
    pass
print("BREACH: " + ", ".join(breaches) if breaches else "safe")
