#!/usr/bin/env bash
# The single executables (npm run package) as a machine without Node runs them.
#   x64: the CLI and tmux end-to-end suites with MEMTOP_BIN set and no node on the PATH. vitest
#        itself runs on the repo's Node by its full path; memtop, tmux and every shell they start
#        see a PATH of links to the few tools the suites use (cat and date for the exec-plugin
#        fixtures of test/tmux/login.test.ts; test/package/executable.test.ts
#        checks that).
#   arm64: under qemu-user (apt: qemu-user libc6-arm64-cross libstdc++6-arm64-cross), --version
#        and a demo snapshot.
set -euo pipefail
cd "$(dirname "$0")/../.."
release=$PWD/dist/release
node=$PWD/node_modules/node/bin/node
for f in memtop-linux-x64 memtop-linux-arm64; do
	[[ -x $release/$f ]] || { echo "test/package/test.sh: no dist/release/$f (run npm run package)" >&2; exit 1; }
done
version=$("$node" -p 'require("./package.json").version')

# dist/ is the npm package's "files": the executables must stay out of it
shipped=$(npm pack --dry-run --json 2>/dev/null | "$node" -e 'let s = ""; process.stdin.on("data", c => (s += c)).on("end", () => console.log(JSON.parse(s)[0].files.filter(f => f.path.startsWith("dist/release/")).length))')
[[ $shipped == 0 ]] || { echo "test/package/test.sh: npm pack would ship $shipped files of dist/release/" >&2; exit 1; }

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
for tool in sh env sleep cat date tmux pgrep kubectl; do
	ln -s "$(command -v "$tool")" "$bin/$tool"
done

echo "test/package: the CLI and tmux suites against dist/release/memtop-linux-x64, PATH=$bin ($(ls "$bin" | tr '\n' ' '))"
PATH=$bin MEMTOP_BIN=$release/memtop-linux-x64 "$node" node_modules/vitest/vitest.mjs run --config test/package/vitest.config.ts

qemu=$(command -v qemu-aarch64) || { echo 'test/package/test.sh: no qemu-aarch64 (apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross)' >&2; exit 1; }
arm() { PATH=$bin "$qemu" -L /usr/aarch64-linux-gnu "$release/memtop-linux-arm64" "$@"; }
got=$(arm --version)
[[ $got == "memtop $version" ]] || { echo "test/package/test.sh: arm64 --version printed: $got" >&2; exit 1; }
pods=$(arm --demo --once -o json | "$node" -e 'let s = ""; process.stdin.on("data", c => (s += c)).on("end", () => console.log(JSON.parse(s).items.length))')
[[ $pods -gt 0 ]] || { echo 'test/package/test.sh: the arm64 demo snapshot has no pods' >&2; exit 1; }
echo "test/package: arm64 under qemu-user: '$got', a demo snapshot of $pods pods"
