#!/usr/bin/env bash
# Regenerate media/*.png and media/memtop.gif from the real program: `memtop --demo` runs in tmux
# at 120x36, keys go in with send-keys, each picture is what capture-pane -e read off the screen,
# turned into SVG by test/media/ansi-to-svg.mjs and into PNG by rsvg-convert; the GIF is those
# frames put together by ImageMagick. Nothing is drawn by hand.
#
# usage: npm run media   (builds first)   or   bash test/media/record.sh
# needs: tmux, rsvg-convert (librsvg2-bin), ImageMagick, DejaVu fonts; installed with apt-get when
# missing (as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
node="$repo/node_modules/node/bin/node"
[ -x "$node" ] || node=node

need=()
command -v tmux >/dev/null || need+=(tmux)
command -v rsvg-convert >/dev/null || need+=(librsvg2-bin)
# /usr/bin/convert is ImageMagick; a convert elsewhere on PATH may be something else
[ -x /usr/bin/convert ] || need+=(imagemagick)
[ -n "$(fc-list 'DejaVu Sans Mono' 2>/dev/null)" ] || need+=(fonts-dejavu-core)
if [ "${#need[@]}" -gt 0 ]; then
	echo "media: installing ${need[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

[ -f dist/cli/main.js ] || npx tsc -p tsconfig.json

cols=120
rows=36
sock="memtop-media-$$"
work=$(mktemp -d)
frames="$work/frames"
mkdir -p "$frames" media
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
	rm -rf "$work"
}
trap cleanup EXIT

t() { tmux -L "$sock" -f /dev/null "$@"; }
screen() { t capture-pane -p -t m; }

# wait until the screen matches an extended regex (deadline in seconds)
wait_for() {
	local pattern=$1 timeout=${2:-30} start=$SECONDS
	until grep -Eq -- "$pattern" <<<"$(screen)"; do
		if ((SECONDS - start > timeout)); then
			echo "media: timed out waiting for /$pattern/; the screen was:" >&2
			screen >&2
			exit 1
		fi
		sleep 0.2
	done
}

wait_for_not() {
	local pattern=$1 timeout=${2:-30} start=$SECONDS
	while grep -Eq -- "$pattern" <<<"$(screen)"; do
		if ((SECONDS - start > timeout)); then
			echo "media: timed out waiting for /$pattern/ to go; the screen was:" >&2
			screen >&2
			exit 1
		fi
		sleep 0.2
	done
}

# keys (one send-keys per call; the caller waits for the screen they lead to)
keys() { t send-keys -t m "$@"; }
type_text() { local s=$1 i; for ((i = 0; i < ${#s}; i++)); do t send-keys -t m -l "${s:i:1}"; sleep 0.08; done; }

render() { # capture.ansi → name.png
	"$node" test/media/ansi-to-svg.mjs "$1" "$work/$2.svg" "$cols" "$rows" "memtop --demo"
	rsvg-convert "$work/$2.svg" -o "$3"
}

shot() { # name: a still for the README
	t capture-pane -p -e -t m >"$work/$1.ansi"
	render "$work/$1.ansi" "$1" "media/$1.png"
	echo "media: media/$1.png"
}

n=0
frame() { # [hold in 1/100 s]: a frame of the recording
	local hold=${1:-60}
	n=$((n + 1))
	local f
	f=$(printf '%03d' "$n")
	t capture-pane -p -e -t m >"$frames/$f.ansi"
	render "$frames/$f.ansi" "frame-$f" "$frames/$f.png"
	echo "$hold" >"$frames/$f.delay"
}

t new-session -d -s m -x "$cols" -y "$rows" "TERM=tmux-256color '$node' '$repo/dist/cli/main.js' --demo; sleep 5"
t set-option -g window-size manual

echo "media: waiting for the demo cluster's story (OOM kills, MemoryPressure, an eviction: about 80 s)"
wait_for '\[1 Pods\]' 60
wait_for 'metrics [0-9]+s ago' 60
# The recording follows the story as it happens. Each key waits for the screen it leads to.
frame 150
keys 4
wait_for '\[4 Events\]'
wait_for 'OOMKilled +default/debug-shell' 120 # t≈43 s: the kernel's OOM killer on worker-4 (SystemOOM + OOMKilling, one entry)
frame 200
keys 2
wait_for '\[2 Nodes\]'
keys y
wait_for 'PRESSURE↓'
wait_for 'Memory +[0-9]' 60 # t≈60 s: MemoryPressure on worker-4
frame 150
keys Enter
wait_for 'eviction order under memory pressure'
frame 250
keys Escape
wait_for '^ 1 Pods \[2 Nodes\] +3'
keys 1
wait_for '^\[1 Pods\]'
keys /
type_text cart
wait_for 'filter /cart'
keys Enter
wait_for 'filter /cart [0-9]'
frame 120
keys Enter
wait_for 'diagnosis:'
frame 250
keys Escape
wait_for 'NAMESPACE +POD'
keys Escape
wait_for_not 'filter /'
keys o
wait_for 'OOM-IN'
frame 150
keys 4
wait_for '\[4 Events\]'
frame 250

# Stills once the story has played out (shop/cart reaches its limit at about 75 s).
wait_for 'OOMKilled +shop/cart' 120
shot events
keys 1
wait_for '^\[1 Pods\]'
keys m
wait_for '↓WS'
shot pods
keys /
type_text cart
keys Enter
wait_for 'filter /cart [0-9]'
keys Enter
wait_for 'diagnosis:'
shot pod-detail
keys Escape
wait_for 'NAMESPACE +POD'
keys Escape
wait_for_not 'filter /'
keys 2
wait_for '\[2 Nodes\]'
keys Enter
wait_for 'eviction order under memory pressure'
shot node-detail
keys Escape
wait_for '^ 1 Pods \[2 Nodes\] +3'
keys 3
wait_for '\[3 Workloads\]'
shot workloads
keys '?'
wait_for '^── keys'
shot help
keys q

# The animated recording: each frame held for its delay.
args=()
for png in "$frames"/*.png; do
	args+=(-delay "$(cat "${png%.png}.delay")" "$png")
done
/usr/bin/convert -loop 0 "${args[@]}" -layers Optimize media/memtop.gif
echo "media: media/memtop.gif ($n frames)"
