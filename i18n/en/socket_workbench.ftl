# Socket Workbench's words in English (the fallback language: every message is here).
# Socket API names, errno names and Python literals stay as written in every language.

## How a call ended (i18n::outcome_words): the same words in every view.
outcome-pending = pending
outcome-timed-out = timed out
outcome-timed-out-after = after { $seconds } s
outcome-cancelled = cancelled by the workbench
outcome-ended-by-close-all = ended by the workbench (close all)
outcome-invalid = invalid: { $reason }
outcome-errno-number = errno { $code }
outcome-would-still-wait = in a Python program this { $call }() would still be waiting
outcome-thread-ended = no result (socket thread ended)

## Scripts and lessons in the window (ui/presenting.rs)
stage-blanked = blanked: press B to show the window again
script-open-in-browser = Open in browser
script-open-in-browser-tip = the page is served by the workbench socket
script-url-or-terminal = { $url }   or in a terminal:
script-reset-question = Start again from the first step?
script-reset-explained = The script's sockets are closed and its steps run again from nothing.
script-reset-yes = Start again
script-reset-no = Stay here
lessons-heading = Lessons
lessons-explained = One click loads a lesson: its sockets, its steps and what to look at.
lessons-file = lesson file
lessons-open-file = Open file
lessons-open-file-tip = load your own lesson or scenario file (the format is in docs/scripts.md)
script-steps = { $count ->
    [one] 1 step
   *[other] { $count } steps
}
script-step-of = step { $step } of { $count }
script-running = running...
script-finished = finished
script-close = Close script
script-next-say = Next: { $say }
script-step-calls = the calls of step { $step }
script-timeline-text = timeline (text)
script-previous-step = Previous step
script-previous-step-tip = start again and run up to the step before (PageUp, Left)
script-next-step = Next step
script-next-step-tip = run the next step's calls (PageDown, Right, Space; End: every step, Home: back to step 1)
script-run-all = Run all steps
script-reset = Reset
script-reset-tip = close this script's sockets and start again from the first step

## The presenter's stage (ui/stage.rs)
stage-timeline-title = Timeline of step { $step }
stage-kernel-title = Kernel: { $socket }
stage-received-title = Received by { $socket }
stage-system-title = System sockets (ports { $ports })
stage-python-title = Python of step { $step }
stage-calls-title = Calls
stage-wire-title = Segments on the wire
stage-step-mark = step { $step }
stage-progress-running = { " " }(running)
stage-progress-finished = { " " }(finished)
stage-preview = Preview
stage-preview-tip = show the next step's narration, small, under this one
stage-preview-next = next, step { $step }: { $say }...
stage-leave = Leave
stage-leave-tip = leave the stage: back to the whole workbench (the script stays loaded)
stage-sockets = Sockets:
stage-closed-earlier = +{ $count } closed earlier
stage-socket-tip = local { $local }; click to open its inspector beside the stage
stage-socket-tip-peer = local { $local }, peer { $peer }; click to open its inspector beside the stage
stage-no-calls-yet = no calls in this step yet
stage-no-room = No room for the stage: zoom out (Ctrl -) or enlarge the window.
stage-nothing = This step puts nothing on stage.
stage-inspector-title = Inspector: { $socket }
stage-inspector-close = Close inspector
zoom-out-tip = zoom out (Ctrl -)
zoom-in-tip = zoom in (Ctrl +)
address-none-yet = (none yet)

## What a socket received (the stage and the received view)
received-nothing-yet = Nothing received yet.
received-datagram-cut = (datagram of { $size } B, rest discarded)
received-from = from { $from }
received-end-of-stream = end of stream
received-auto-sample = auto: { $calls } recv, { $bytes }

## The first screen and its quick starts (ui/start.rs)
app-name = Socket Workbench
start-explained = Real sockets, one call at a time: each call's result, how long it waited and what woke it, and what the kernel holds. Start with a ready pair, a lesson, or New TCP socket on the left.
start-recent = Opened lately
quick-start = Quick start
quick-start-title = Quick start: { $title }
quick-tcp-pair = TCP server and client
quick-udp-pair = UDP pair
quick-connect-title = Connect to { $host }:{ $port }
quick-listen-title = Listen on port { $port } ({ $responder })
quick-tcp-pair-intro = A server listening on 127.0.0.1 (the kernel picked a free port), a client connected to it, and conn, the connection the server accepted. Go on with any call: send on one side, recv on the other.
quick-udp-pair-intro = Two UDP sockets, each bound to a free port on 127.0.0.1. sendto from one to the other (the address buttons fill it in), recvfrom on the other.
quick-connect-intro = A TCP client connected to the address you gave; what arrives is received automatically and shown under Received. Send from the inspector.
quick-listen-intro = A TCP server on 127.0.0.1 that accepts every client and answers it by itself. Connect to it from here, or from another program.
quick-connect-give-host-port = give host:port, e.g. example.com:80 or [::1]:8080
quick-connect-bad-host = '{ $host }' is not a host name or an IP address
quick-connect-bad-port = port { $port }: a port to connect to is 1-65535
quick-listen-bad-port = '{ $text }' is not a port (0-65535)
quick-connect-to = connect to
quick-connect = Connect
quick-connect-tip = a TCP client that connects there and receives automatically
quick-listen-on-port = listen on port
quick-answering-with = answering with
quick-listen = Listen
quick-listen-tip = a TCP server on 127.0.0.1 that accepts and answers by itself

## The headless runner's lines (script/run.rs)
run-datagram-truncated = truncated: the datagram had { $size } bytes

## A call's result in the inspector (ui/calls.rs)
result-blocked-until = blocked until { $what }
result-bytes = { $count ->
    [one] 1 byte
   *[other] { $count } bytes
}
result-latest = latest: { $headline }
result-latest-none = latest: no call yet
result-usual-fix = Usual fix: { $fix }
call-cancel = Cancel
call-cancel-tip = end every pending call of this socket as cancelled; the socket stays usable
call-blocked-in = blocked in { $call }() { $seconds } s

## The toolbar, the status bar and the views (ui/mod.rs, ui/theme.rs)
toolbar-new-session = New session
toolbar-new-session-tip = close every socket, clear the calls, data and views, and go back to the first screen (asks first when sockets are open)
toolbar-sockets = Sockets
toolbar-sockets-tip = show or hide the list of sockets (more room on a projector)
toolbar-lessons = Lessons
toolbar-lessons-tip = the built-in lessons, and your own lesson files
toolbar-views = Views
toolbar-views-tip = the views of all sockets: timeline, calls, Python, ...
toolbar-display = Display
toolbar-display-tip = projector mode, zoom and language
toolbar-present = Present
toolbar-present-tip = the presenter stage: the narration large, and what this step shows
toolbar-language-tip = the workbench's language (switches at once)
new-session-question = Start a new session?
new-session-explained = { $count ->
    [one] 1 open socket will be closed, and the calls, data and views of this session cleared.
   *[other] { $count } open sockets will be closed, and the calls, data and views of this session cleared.
}
new-session-yes = Close them and start anew
new-session-no = Keep working
status-counts = { $open } sockets open · { $bytes_in } in · { $bytes_out } out · { $pending } calls pending
status-dropped = · dropped by the memory cap: { $entries } log entries, { $bytes } received
status-forgotten = · { $count } closed sockets forgotten
view-timeline = Timeline
view-calls = Call table
view-system = System sockets
view-throughput = Throughput
view-python = Python
view-wire = Wire
view-timeline-tip = every call as a bar on its socket's lane, arrows from each send to the recv that got its bytes
view-calls-tip = every call as a row: sort, filter, export to CSV or JSON
view-system-tip = all sockets of this machine, like netstat -ano; ours highlighted
view-throughput-tip = bytes per second in and out of each socket
view-python-tip = the Python 3 line of every call made; export the session as a script
view-wire-tip = the TCP and UDP segments of these sockets on loopback: capture, table, pcap export
inspector-title = Inspector
display-projector = Projector mode
display-projector-tip = Large, high-contrast light theme with thick lines, for a classroom projector
display-zoom-out-tip = Zoom out ({ $keys })
display-zoom-tip = Zoom of the whole window
display-zoom-in-tip = Zoom in ({ $keys })
display-zoom-reset = Reset
display-zoom-reset-tip = Back to { $percent } % ({ $keys })
