#!/bin/sh
# Links one libFuzzer binary per line of tests/fuzz/targets.tsv: tests/fuzz/fuzz_import.c with
# that format and file name, on the library objects `make fuzz-build` compiled with clang,
# -fsanitize=fuzzer-no-link,address,undefined into $FUZZ_DIR/obj. Called by the Makefile,
# which passes LIBS and PKG_CFLAGS.
set -eu
cd "$(dirname "$0")/../.."
D=${FUZZ_DIR:-build/fuzz}
command -v clang > /dev/null || {
    echo "fuzz: clang is missing; run: apt-get install -y clang libclang-rt-14-dev" >&2
    exit 1
}
objs=$(find "$D/obj" -name '*.o' ! -name main.o ! -path '*/pic/*' ! -path '*/unit/*' | sort)
TAB=$(printf '\t')
tail -n +2 tests/fuzz/targets.tsv | while IFS="$TAB" read -r fmt name seeds; do
    bin=$D/fuzz_$fmt
    # relink only when the target source or an object is newer
    if [ -x "$bin" ] && [ -z "$(find tests/fuzz/fuzz_import.c $objs -newer "$bin" 2> /dev/null)" ]; then
        continue
    fi
    echo "clang -o $bin (format $fmt)"
    # shellcheck disable=SC2086  # flag lists
    clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=all -Iinclude -I"$D/obj" $PKG_CFLAGS \
        -DTR_VERSION='"fuzz"' -DFUZZ_FORMAT="\"$fmt\"" -DFUZZ_NAME="\"$name\"" \
        -o "$bin" tests/fuzz/fuzz_import.c $objs $LIBS
done
