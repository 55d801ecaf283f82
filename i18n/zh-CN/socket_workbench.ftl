# 套接字工作台的中文用语。套接字 API 名、errno 名和 Python 字面量在任何语言里都照原样写。

## 调用的结果（i18n::outcome_words）：每个视图用同样的说法。
outcome-pending = 等待中
outcome-timed-out = 超时
outcome-timed-out-after = 等了 { $seconds } 秒
outcome-cancelled = 被工作台取消
outcome-ended-by-close-all = 被工作台结束（全部关闭）
outcome-invalid = 无效：{ $reason }
outcome-errno-number = errno { $code }
outcome-would-still-wait = 如果是 Python 程序，这个 { $call }() 会一直等下去
outcome-thread-ended = 没有结果（套接字线程已结束）

## 窗口里的脚本和课程（ui/presenting.rs）
stage-blanked = 屏幕已遮住：按 B 重新显示
script-open-in-browser = 在浏览器中打开
script-open-in-browser-tip = 这个网页由工作台的套接字提供
script-url-or-terminal = { $url }   或者在终端里：
script-reset-question = 从第一步重新开始吗？
script-reset-explained = 脚本的套接字会被关闭，所有步骤从头再跑一遍。
script-reset-yes = 重新开始
script-reset-no = 留在这里
lessons-heading = 课程
lessons-explained = 点一下就载入一节课：它的套接字、它的步骤，还有该看哪里。
lessons-file = 课程文件
lessons-open-file = 打开文件
lessons-open-file-tip = 载入你自己的课程或场景文件（格式见 docs/scripts.md）
script-steps = 共 { $count } 步
script-step-of = 第 { $step } 步，共 { $count } 步
script-running = 正在运行……
script-finished = 已完成
script-close = 关闭脚本
script-next-say = 下一步：{ $say }
script-step-calls = 第 { $step } 步的调用
script-timeline-text = 时间线（文字）
script-previous-step = 上一步
script-previous-step-tip = 从头重新运行到上一步（PageUp、左方向键）
script-next-step = 下一步
script-next-step-tip = 运行下一步的调用（PageDown、右方向键、空格；End：全部步骤；Home：回到第 1 步）
script-run-all = 运行全部步骤
script-reset = 重置
script-reset-tip = 关闭这个脚本的套接字，从第一步重新开始

## 讲台（ui/stage.rs）
stage-timeline-title = 第 { $step } 步的时间线
stage-kernel-title = 内核：{ $socket }
stage-received-title = { $socket } 收到的数据
stage-system-title = 系统里的套接字（端口 { $ports }）
stage-python-title = 第 { $step } 步的 Python 代码
stage-calls-title = 调用
stage-wire-title = 线路上的报文段
stage-step-mark = 第 { $step } 步
stage-progress-running = （运行中）
stage-progress-finished = （已完成）
stage-preview = 预览
stage-preview-tip = 在这段讲解下面用小字显示下一步的讲解
stage-preview-next = 下一步，第 { $step } 步：{ $say }……
stage-leave = 离开讲台
stage-leave-tip = 离开讲台，回到完整的工作台（脚本仍然保持载入）
stage-sockets = 套接字：
stage-closed-earlier = 另有 { $count } 个已关闭
stage-socket-tip = 本地地址 { $local }；点一下在讲台旁打开它的检查器
stage-socket-tip-peer = 本地地址 { $local }，对端 { $peer }；点一下在讲台旁打开它的检查器
stage-no-calls-yet = 这一步还没有调用
stage-no-room = 讲台放不下了：缩小（Ctrl -）或者把窗口拉大。
stage-nothing = 这一步没有要在讲台上展示的内容。
stage-inspector-title = 检查器：{ $socket }
stage-inspector-close = 关闭检查器
zoom-out-tip = 缩小（Ctrl -）
zoom-in-tip = 放大（Ctrl +）
address-none-yet = （还没有）

## 套接字收到的数据（讲台和“已接收”视图）
received-nothing-yet = 还没有收到任何数据。
received-datagram-cut = （数据报原有 { $size } B，其余部分被丢弃）
received-from = 来自 { $from }
received-end-of-stream = 流结束
received-auto-sample = 自动：{ $calls } 次 recv，{ $bytes }

## 首页和快速开始（ui/start.rs）
app-name = 套接字工作台
start-explained = 真实的套接字，一次一个调用：每个调用的结果、它等了多久、是什么把它唤醒，以及内核里现在有什么。可以从一对现成的套接字、一节课开始，或者点左边的“新建 TCP 套接字”。
start-recent = 最近打开
quick-start = 快速开始
quick-start-title = 快速开始：{ $title }
quick-tcp-pair = TCP 服务器和客户端
quick-udp-pair = 一对 UDP 套接字
quick-connect-title = 连接到 { $host }:{ $port }
quick-listen-title = 在端口 { $port } 上监听（{ $responder }）
quick-tcp-pair-intro = 一个在 127.0.0.1 上监听的服务器（端口由内核挑一个空闲的），一个已经连上它的客户端，还有 conn——服务器 accept 得到的那条连接。接下来随便调用：一边 send，另一边 recv。
quick-udp-pair-intro = 两个 UDP 套接字，各自绑定在 127.0.0.1 的一个空闲端口上。从一个 sendto 给另一个（地址按钮会帮你填好），在另一个上 recvfrom。
quick-connect-intro = 一个 TCP 客户端，已经连到你给的地址；收到的数据会自动接收，显示在“已接收”下面。可以在检查器里发送。
quick-listen-intro = 一个在 127.0.0.1 上的 TCP 服务器，它自己 accept 每个客户端并自动应答。可以从这里连它，也可以用别的程序连。
quick-connect-give-host-port = 请写成 主机:端口，例如 example.com:80 或 [::1]:8080
quick-connect-bad-host = “{ $host }”不是主机名，也不是 IP 地址
quick-connect-bad-port = 端口 { $port }：要连接的端口范围是 1-65535
quick-listen-bad-port = “{ $text }”不是端口号（0-65535）
quick-connect-to = 连接到
quick-connect = 连接
quick-connect-tip = 一个 TCP 客户端，连到那里并自动接收
quick-listen-on-port = 监听端口
quick-answering-with = 应答方式
quick-listen = 监听
quick-listen-tip = 一个在 127.0.0.1 上的 TCP 服务器，自动 accept 并应答

## 无界面运行器的输出（script/run.rs）
run-datagram-truncated = 被截断：这个数据报原有 { $size } 字节

## 检查器里调用的结果（ui/calls.rs）
result-blocked-until = 一直阻塞，直到{ $what }
result-bytes = { $count } 字节
result-latest = 最近：{ $headline }
result-latest-none = 最近：还没有调用
result-usual-fix = 通常的解决办法：{ $fix }
call-cancel = 取消
call-cancel-tip = 把这个套接字所有等待中的调用都当作已取消结束；套接字本身还能继续用
call-blocked-in = 阻塞在 { $call }() 中，已 { $seconds } 秒

## 工具栏、状态栏和视图（ui/mod.rs、ui/theme.rs）
toolbar-new-session = 新会话
toolbar-new-session-tip = 关闭所有套接字，清空调用、数据和视图，回到首页（有打开的套接字时会先问一下）
toolbar-sockets = 套接字
toolbar-sockets-tip = 显示或隐藏套接字列表（投影时可以腾出地方）
toolbar-lessons = 课程
toolbar-lessons-tip = 内置课程，以及你自己的课程文件
toolbar-views = 视图
toolbar-views-tip = 所有套接字的视图：时间线、调用、Python……
toolbar-display = 显示
toolbar-display-tip = 投影模式、缩放和语言
toolbar-present = 讲台
toolbar-present-tip = 讲台模式：讲解用大字显示，再加上这一步要看的内容
toolbar-language-tip = 工作台的语言（立即切换）
new-session-question = 开始新会话吗？
new-session-explained = 将关闭 { $count } 个打开的套接字，并清空这个会话的调用、数据和视图。
new-session-yes = 全部关闭，重新开始
new-session-no = 继续工作
status-counts = 打开 { $open } 个套接字 · 收到 { $bytes_in } · 发出 { $bytes_out } · { $pending } 个调用在等待
status-dropped = · 因内存上限而丢弃：{ $entries } 条日志，{ $bytes } 已接收数据
status-forgotten = · 已忘记 { $count } 个关闭的套接字
view-timeline = 时间线
view-calls = 调用表
view-system = 系统套接字
view-throughput = 吞吐量
view-python = Python
view-wire = 抓包
view-timeline-tip = 每个调用是它所在套接字泳道上的一根条，箭头从每次 send 指向收到这些字节的 recv
view-calls-tip = 每个调用一行：可以排序、过滤，导出为 CSV 或 JSON
view-system-tip = 这台机器上的所有套接字，类似 netstat -ano；我们自己的会高亮
view-throughput-tip = 每个套接字每秒收发的字节数
view-python-tip = 每个调用对应的一行 Python 3 代码；可以把整个会话导出为脚本
view-wire-tip = 这些套接字在回环接口上的 TCP 和 UDP 报文段：抓包、表格、导出 pcap
inspector-title = 检查器
display-projector = 投影模式
display-projector-tip = 大字号、高对比度的浅色主题，线条加粗，适合教室投影
display-zoom-out-tip = 缩小（{ $keys }）
display-zoom-tip = 整个窗口的缩放比例
display-zoom-in-tip = 放大（{ $keys }）
display-zoom-reset = 复位
display-zoom-reset-tip = 回到 { $percent } %（{ $keys }）
