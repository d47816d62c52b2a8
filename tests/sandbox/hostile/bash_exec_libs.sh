# expect: AC
# BASH may run its commands (cat, grep, awk, perl), not whatever lies in
# the library trees it may read: not the dynamic loader as a program of its
# own, not the compiler proper, not git's helpers.
for p in /lib64/ld-linux-x86-64.so.2 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 \
	/usr/lib/gcc/x86_64-linux-gnu/*/cc1 /usr/lib/git-core/git; do
	if [ -e "$p" ] && out=$("$p" --version 2>/dev/null) && [ -n "$out" ]; then
		echo "BREACH: ran $p"
	fi
done
echo safe
