#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real window under Xvfb.
# Needs: xvfb xauth xdotool imagemagick (apt-get install -y xvfb xauth xdotool imagemagick).
# Usage: scripts/screenshots.sh [path/to/socket-workbench]   (default: target/release/socket-workbench)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/socket-workbench}"
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
mkdir -p screenshots
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1920x1080x24" "$0" "$@"
fi
export LIBGL_ALWAYS_SOFTWARE=1
# A private config dir, so remembered layouts of a previous run do not change the pictures.
export XDG_DATA_HOME="$(mktemp -d)" XDG_CONFIG_HOME="$(mktemp -d)" HOME="$(mktemp -d)"
# English unless a shot asks for Chinese (--lang zh): the locale decides the first start.
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES

# shot NAME WAIT_SECONDS KEYS... -- ARGS...: start the app with ARGS, wait, optionally press
# keys, and save the window (SHOT_SIZE, default 1600x1000).
shot() {
  local name="$1" wait="$2"; shift 2
  local size="${SHOT_SIZE:-1600x1000}"
  local keys=()
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do keys+=("$1"); shift; done
  shift
  local pid="" window=""
  # Xvfb now and then refuses a connection right after the previous window closed: try again.
  for _attempt in 1 2 3; do
    # SHOT_AS: a command the app is started under (e.g. setpriv, to drop a capability).
    ${SHOT_AS:-} "$bin" "$@" >/tmp/screenshot-app.log 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
      window=$(xdotool search --name "Socket Workbench" 2>/dev/null | head -n1 || true)
      [ -n "$window" ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    [ -n "$window" ] && break
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    sleep 1
  done
  [ -n "$window" ] || { echo "no window for $name" >&2; cat /tmp/screenshot-app.log >&2; exit 1; }
  # SHOT_BESIDE: a command run beside the app while the shot is prepared (clients, say).
  local beside=""
  if [ -n "${SHOT_BESIDE:-}" ]; then
    ${SHOT_BESIDE} >/tmp/screenshot-beside.log 2>&1 &
    beside=$!
  fi
  xdotool windowsize "$window" "${size%x*}" "${size#*x}" windowmove "$window" 0 0
  xdotool windowfocus --sync "$window" || true
  # The pointer off the window, so no tooltip shows (a click below puts it back).
  xdotool mousemove 1919 1079
  sleep "$wait"
  # A key name is pressed; click:X,Y clicks there (window coordinates, 1600x1000).
  for key in "${keys[@]}"; do
    case "$key" in
      click:*) local at="${key#click:}"
        xdotool mousemove --window "$window" "${at%,*}" "${at#*,}" click 1 ;;
      # Keys go to the focused window (--window does not reach it under Xvfb).
      *) xdotool windowfocus "$window" 2>/dev/null || true; xdotool key "$key" ;;
    esac
    sleep 0.5
  done
  import -window root -crop "${size}+0+0" +repage "screenshots/$name.png"
  [ -n "$beside" ] && { kill "$beside" 2>/dev/null || true; wait "$beside" 2>/dev/null || true; }
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "screenshots/$name.png"
}

# In Chinese: the first screen, an exchange, and two lessons on stage at both projector sizes.
# ONLY_CHINESE=1 takes just these.
mkdir -p screenshots/zh
if [ "${ONLY_LESSONS:-}" != 1 ]; then
SHOT_SIZE=1280x720 shot zh/start_1280x720 3 -- --lang zh
SHOT_SIZE=1920x1080 shot zh/start_1920x1080 3 -- --lang zh
SHOT_SIZE=1280x720 shot zh/quick-start-tcp_1280x720 3 -- --lang zh quick tcp
SHOT_SIZE=1600x1000 shot zh/exchange 4 -- --lang zh open --run-all assets/examples/exchange.toml
for lesson in L10 L13; do
  for size in 1920x1080 1280x720; do
    SHOT_SIZE="$size" shot "zh/lesson${lesson#L}_${size}" 5 -- --projector --lang zh open --key-step "$lesson"
  done
done
fi
[ "${ONLY_CHINESE:-}" = 1 ] && exit 0

if [ "${ONLY_LESSONS:-}" != 1 ]; then
shot first-screen 3 --
# The quick starts, at the sizes a projector has.
shot quick-start-tcp 3 -- quick tcp
SHOT_SIZE=1280x720 shot quick-start-tcp_1280x720 3 -- quick tcp
SHOT_SIZE=1280x720 shot quick-start-udp_1280x720 3 -- quick udp
SHOT_SIZE=1280x720 shot projector_1280x720 3 -- --projector quick tcp
SHOT_SIZE=1920x1080 shot projector_1920x1080 3 -- --projector quick tcp
# The keyboard's focus in projector mode: a click gives the window the keyboard, Tab moves.
SHOT_SIZE=1280x720 shot focus-projector_1280x720 3 click:640,400 Tab Tab Tab -- --projector quick tcp
# L10's steps 5 and 6 on stage at 1280x720: the recvs the narration talks about.
SHOT_SIZE=1280x720 shot lesson10_step5_1280x720 5 -- --projector open --steps 5 assets/lessons/10_sticky_packets.toml
SHOT_SIZE=1280x720 shot lesson10_step6_1280x720 5 -- --projector open --steps 6 assets/lessons/10_sticky_packets.toml
shot exchange 4 -- open --run-all assets/examples/exchange.toml
# A workspace rebuilt: saved messages with checksums and two reply rules.
shot saved-messages 6 -- --view messages open assets/examples/modbus_bench.toml
# A file from someone else, shown before it runs.
shot consent 4 -- open assets/examples/lab_from_a_friend.toml
shot blocked-recv 5 -- open --run-all assets/examples/blocked_recv.toml
# An echo server holding 50 clients after 1,250 others came and went (the oldest 250 closed
# connections are forgotten beyond the cap of 1,000 kept).
SHOT_BESIDE="python3 scripts/clients.py 127.0.0.1 9400 1300 1250" \
  shot many-connections 10 -- open --run-all assets/examples/echo_server.toml
shot projector 4 -- --projector open --run-all assets/examples/exchange.toml
# The timeline opens fitted to the calls.
shot timeline 4 -- --view timeline open --run-all assets/examples/exchange.toml
shot send-buffer-full 6 -- open --steps 3 assets/lessons/11_partial_send.toml
shot system-table-time-wait 5 -- --view system open --run-all assets/lessons/14_handshake_close.toml
shot lesson-projector 5 -- --projector open --steps 2 assets/lessons/10_sticky_packets.toml
# The wire (needs CAP_NET_RAW: run this script as root).
shot wire-timeline 5 -- --view timeline open --run-all assets/examples/wire.toml
shot wire 5 -- --view timeline --view wire open --run-all assets/examples/wire.toml
# Without CAP_NET_RAW: "Capture the wire", then "Use a private network", then the quick start.
if command -v setpriv >/dev/null; then
  SHOT_AS="setpriv --bounding-set -net_raw --inh-caps -net_raw" \
    shot wire-private-network 3 click:364,510 click:553,642 click:375,110 -- --view wire
fi
fi

[ "${SKIP_LESSONS:-}" = 1 ] && exit 0

# Every lesson at its key step on the presenter stage, at two projector sizes.
mkdir -p screenshots/lessons
for lesson in assets/lessons/*.toml; do
  base="$(basename "$lesson" .toml)"
  for size in 1920x1080 1280x720; do
    SHOT_SIZE="$size" shot "lessons/${base}_${size}" 5 -- --projector open --key-step "$lesson"
  done
done
