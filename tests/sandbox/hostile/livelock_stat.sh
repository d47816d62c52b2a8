# expect: TLE
# wall: 10
# Thirty subshells testing a 4,000-character path without end: the
# tracer resolves every one, component by component, while the shells
# spend almost no CPU of their own. The tracer must still end the run at
# its limits.
p=/usr/..
for i in {1..9}; do p=$p$p; done
p=${p:0:4000}
for i in {1..30}; do
	(while :; do test -e "$p"; done) &
done
while :; do test -e "$p"; done
