#!/bin/sh
# Makes sure the build dependencies are present before anything is compiled.
# As root on Debian it installs what is missing with apt-get; otherwise it
# prints the exact apt-get line an administrator has to run, and fails.
set -eu

# pkg-config module -> Debian package that provides it
mods="zlib:zlib1g-dev openssl:libssl-dev jansson:libjansson-dev
libseccomp:libseccomp-dev libcap:libcap-dev yaml-0.1:libyaml-dev
libzip:libzip-dev libpcre2-8:libpcre2-dev cmocka:libcmocka-dev"
# command -> Debian package (tools the build, the tests, the format check and
# make fuzz call)
cmds="pkg-config:pkg-config cc:gcc g++:g++ make:make python3:python3 openssl:openssl
clang-format:clang-format git:git clang:clang man:man-db groff:groff-base"

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
for pair in $mods; do
	mod=${pair%%:*}
	pkg=${pair#*:}
	if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "$mod"; then
		missing="$missing $pkg"
	fi
done
for pair in $cmds; do
	cmd=${pair%%:*}
	pkg=${pair#*:}
	# python3 must be Debian's: the sandbox user cannot run a per-user install
	if [ "$cmd" = python3 ]; then
		[ -x /usr/bin/python3 ] || missing="$missing $pkg"
		continue
	fi
	command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
# make fuzz links clang's libFuzzer and sanitizer runtimes, which the clang
# package only recommends (and recommendations are not installed below)
if ! command -v clang >/dev/null 2>&1 ||
	[ ! -f "$(clang -print-file-name=libclang_rt.fuzzer-"$(uname -m)".a)" ]; then
	missing="$missing libclang-rt-dev"
fi
missing=$(echo "$missing" | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/^ *//;s/ *$//')
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing build packages: $missing" >&2
	echo "deps: install them as root with: apt-get install -y $missing" >&2
	exit 1
fi
echo "deps: installing $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing || {
	echo "deps: apt-get install $missing failed" >&2
	exit 1
}
