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

## 命令行（main.rs、lessons.rs）
cli-no-such-lesson = “{ $query }”：没有这个文件，也没有这个编号或名字的内置课程（socket-workbench lessons 会列出全部课程）
cli-several-lessons = “{ $query }”对应好几节课：{ $lessons }

## errno 的解释和常见的解决办法（engine/errno.rs）：errno-<名字> 和 errno-<名字>-fix 在运行时拼出；由 i18n::tests 检查
errno-EADDRINUSE = 地址已被占用：已经有另一个套接字绑定了这个地址和端口（如果是 AF_UNIX，就是这个路径上已经有一个文件了）。
errno-EADDRINUSE-fix = 在 bind 之前设置 SO_REUSEADDR（之前的连接可能还处在 TIME_WAIT 状态），或者停掉占用端口的那个程序，或者换一个端口 / 用端口 0；如果是 AF_UNIX，先删掉旧的套接字文件。
errno-EADDRNOTAVAIL = 这个地址不属于本机，或者本机已经没有空闲的本地（临时）端口可以用来发起连接了。
errno-EADDRNOTAVAIL-fix = 绑定到 0.0.0.0、127.0.0.1 或者 `ip addr` 列出的地址；如果你打开了非常多的连接，先关掉一些，或者等 TIME_WAIT 过去。
errno-EAFNOSUPPORT = 地址族和这个套接字不匹配，或者内核不支持这个地址族（比如禁用了 IPv6）。
errno-EAFNOSUPPORT-fix = AF_INET 套接字配 IPv4 地址，AF_INET6 套接字配 IPv6 地址。
errno-EPFNOSUPPORT = 这个系统不支持所请求的协议族。
errno-EPFNOSUPPORT-fix = 使用 AF_INET、AF_INET6 或 AF_UNIX。
errno-EDESTADDRREQ = 这个套接字没有对端地址，内核不知道要把数据发到哪里去。
errno-EDESTADDRREQ-fix = 用 sendto() 并给出目的地址，或者先对套接字调用 connect()。
errno-EWOULDBLOCK = 套接字是非阻塞的（或者它的 SO_RCVTIMEO/SO_SNDTIMEO 超时已经到了），这次调用没法马上完成：没有数据可读，发送缓冲区没有空间，或者没有等着被 accept 的连接。
errno-EWOULDBLOCK-fix = 用 select()/poll() 等到套接字就绪，再重新调用一次。
errno-EINPROGRESS = 非阻塞的 connect() 已经开始了三次握手，但还没有完成；这是正常现象，不是失败。
errno-EINPROGRESS-fix = 用 select()/poll() 等到套接字可写，再读取 SO_ERROR，看连接到底成功了没有。
errno-EALREADY = 这个套接字上之前发起的非阻塞 connect() 还在进行中。
errno-EALREADY-fix = 不要再调用 connect()；等套接字变成可写，再检查 SO_ERROR。
errno-EINTR = 调用阻塞期间来了一个信号，内核在调用完成之前就把它停下了。
errno-EINTR-fix = 重新调用一次就行（Python 从 3.5 起会自动重试）。
errno-EISCONN = 套接字已经连接上了，不能再连接一次，也不能改发到别的目的地址。
errno-EISCONN-fix = 在已连接的套接字上用 send()；要建立新连接，就新建一个套接字。
errno-ENOTCONN = 套接字还没有连接，没有对端，所以既不能发送、接收，也不能 shutdown。
errno-ENOTCONN-fix = 先调用 connect()；在服务器端，要用 accept() 返回的新套接字，而不是监听套接字。
errno-ECONNREFUSED = 连接被拒绝：那个地址和端口上没有程序在监听，所以对方用一个 RST 回应了这次连接请求。
errno-ECONNREFUSED-fix = 先启动服务器，或者检查地址和端口号有没有写错。
errno-ECONNRESET = 连接被重置：对端发来了 RST。常见的原因有：对端关闭时还有没读完的数据，对端用 SO_LINGER 0 关闭，或者对端机器重启后已经不认识这个连接了（在 Linux 上，程序只是崩溃的话，内核会替它正常关闭连接）。
errno-ECONNRESET-fix = 把这个连接当作已经断开：关闭这个套接字，需要的话重新连接。
errno-ECONNABORTED = 连接在本机这边就被中止了，通常是因为客户端在 accept() 取走它之前就放弃了。
errno-ECONNABORTED-fix = 不用管它，再调用一次 accept() 接受下一个客户端。
errno-EPIPE = 你在往一个发送方向已经关闭的连接里写数据：要么是你自己调用了 shutdown()，要么是对端已经不在了。
errno-EPIPE-fix = 停止发送并关闭套接字；发送时加上 MSG_NOSIGNAL（或者忽略 SIGPIPE），免得程序被这个信号杀掉。
errno-ESHUTDOWN = 套接字的这个方向已经用 shutdown() 关闭了，不能再用。
errno-ESHUTDOWN-fix = shutdown(SHUT_WR) 之后就不要再发送了；要发就新建一个连接。
errno-ETIMEDOUT = 对方一直没有应答：连接请求（或者已建立的连接上的重传）超时了。
errno-ETIMEDOUT-fix = 检查对方主机是否在线、有没有防火墙悄悄把数据包丢掉了，然后重试。
errno-ENETRESET = 连接因为网络重置而断开了，比如保活（keepalive）探测发现路径已经不通。
errno-ENETRESET-fix = 关闭套接字，重新连接。
errno-ENETUNREACH = 本机没有到目的网络的路由（比如没有默认网关，或者没有 IPv6 网络）。
errno-ENETUNREACH-fix = 检查地址和网络配置（`ip route`）；用一个确实能到达的地址。
errno-EHOSTUNREACH = 目的主机不可达：路由器报告它不可达，或者本地网络上没有人应答。
errno-EHOSTUNREACH-fix = 检查主机是否在线、地址是否正确，以及有没有防火墙拒绝这些流量。
errno-ENETDOWN = 这次通信要用的网络接口处于关闭（down）状态。
errno-ENETDOWN-fix = 启用这个网络接口或者换一个网络，然后重试。
errno-EHOSTDOWN = 目的主机已经关机，在本地网络上没有应答。
errno-EHOSTDOWN-fix = 检查那台主机是否开着、是否连上了网络，然后重试。
errno-EACCES = 权限不够：可能是特权端口，没有设置 SO_BROADCAST 就往广播地址发送，防火墙规则，或者是你无权访问的 AF_UNIX 路径。
errno-EACCES-fix = 1024 以下的端口需要 root 或 CAP_NET_BIND_SERVICE 权限，请用 1024 及以上的端口；往广播地址发送之前先设置 SO_BROADCAST；检查 AF_UNIX 路径的权限。
errno-EPERM = 操作不被允许：比如没有 root 权限却要用原始套接字或特权选项，或者本机的防火墙规则拦下了数据包。
errno-EPERM-fix = 换成不需要特权的做法（用 SOCK_STREAM/SOCK_DGRAM），授予所需的权限（capability），或者检查防火墙规则。
errno-EINVAL = 在当前状态下有参数无效：比如对已经绑定的套接字再次 bind()，对没有监听的套接字调用 accept()，或者长度、选项值不对。
errno-EINVAL-fix = 检查调用的顺序（socket、bind、listen、accept）和传入的参数。
errno-EBADF = 这个文件描述符没有打开，通常是因为套接字已经关闭了。
errno-EBADF-fix = close() 之后就不要再用这个套接字，每个套接字也只关闭一次。
errno-ENOTSOCK = 这个文件描述符指向的不是套接字，而是普通文件或者管道之类的东西。
errno-ENOTSOCK-fix = 传入 socket() 或 accept() 返回的描述符。
errno-EOPNOTSUPP = 这种套接字类型不支持这个操作，比如在 UDP 套接字上调用 listen() 或 accept()，或者在数据报套接字上用 MSG_OOB。
errno-EOPNOTSUPP-fix = listen()/accept() 要用 SOCK_STREAM，或者去掉不支持的标志。
errno-ENOTSUP = 这个套接字或者这个系统不支持该操作或选项。
errno-ENOTSUP-fix = 换一个支持这个操作的选项或套接字类型。
errno-ENOPROTOOPT = 在你给出的层级（level）上没有这个选项（比如把 TCP 选项和 SOL_SOCKET 一起传了进去）。
errno-ENOPROTOOPT-fix = 检查选项名和层级：SO_* 选项用 SOL_SOCKET，TCP_* 选项用 IPPROTO_TCP，IP_* 选项用 IPPROTO_IP。
errno-EPROTONOSUPPORT = 这个地址族和套接字类型不支持该协议，比如 IPPROTO_TCP 配 SOCK_DGRAM。
errno-EPROTONOSUPPORT-fix = 协议参数传 0，让内核自己选；或者 SOCK_STREAM 配 IPPROTO_TCP，SOCK_DGRAM 配 IPPROTO_UDP。
errno-ESOCKTNOSUPPORT = 这个地址族不支持这种套接字类型。
errno-ESOCKTNOSUPPORT-fix = 使用 SOCK_STREAM 或 SOCK_DGRAM。
errno-EPROTOTYPE = 套接字类型和另一端或者协议对不上，比如用 SOCK_STREAM 套接字去连接一个 SOCK_DGRAM 的 AF_UNIX 套接字。
errno-EPROTOTYPE-fix = 两端使用同一种套接字类型。
errno-EPROTO = 建立连接的过程中发生了协议错误。
errno-EPROTO-fix = 再调用一次 accept()，接受下一个连接。
errno-EMSGSIZE = 数据报太大，没法一次发出去。
errno-EMSGSIZE-fix = 基于 IPv4 的 UDP 数据报最多只能带 65,507 字节的数据（不想分片的话还要小得多）：把消息拆小一点再发。
errno-EDOM = 选项值超出了范围，比如超时值的微秒字段大于或等于 1,000,000。
errno-EDOM-fix = 传入合法的 timeval：秒数加上小于 1,000,000 的微秒数。
errno-EFAULT = 传给调用的缓冲区或地址指针指到了程序的内存之外。
errno-EFAULT-fix = 这是调用方程序的 bug：检查缓冲区的指针和长度。
errno-EMFILE = 这个进程打开的文件描述符已经到了上限（每个套接字占用一个）。
errno-EMFILE-fix = 关闭不再需要的套接字，或者用 `ulimit -n` 调高上限。
errno-ENFILE = 整个系统打开的文件数已经到了上限。
errno-ENFILE-fix = 关闭不用的套接字和文件，或者调高系统的上限（fs.file-max）。
errno-ENOBUFS = 内核给套接字用的缓冲区空间用完了，比如发送数据的速度比数据发出去的速度还快。
errno-ENOBUFS-fix = 发慢一点或者分成更小的块来发，关闭不用的套接字，然后重试。
errno-ENOMEM = 内核没能分配到足够的内存来完成这次调用。
errno-ENOMEM-fix = 释放一些内存或者关闭不用的套接字，然后重试。
errno-ENOSPC = 文件系统满了，没法创建 AF_UNIX 套接字文件。
errno-ENOSPC-fix = 腾出磁盘空间，或者把套接字路径放到别的文件系统上（比如 /tmp）。
errno-EIO = 创建或使用 AF_UNIX 套接字文件时发生了底层的输入/输出错误。
errno-EIO-fix = 检查套接字路径所在的文件系统，或者换一个地方放这个路径。
errno-ENOENT = 这个 AF_UNIX 路径上没有套接字文件（或者路径中的某个目录不存在）。
errno-ENOENT-fix = 先启动服务器，让它创建套接字文件，并检查路径有没有拼错。
errno-ENOTDIR = AF_UNIX 路径中本该是目录的某一部分并不是目录。
errno-ENOTDIR-fix = 改正路径，让最后一部分之前的每一部分都是目录。
errno-ENAMETOOLONG = AF_UNIX 路径太长，放不进 sun_path（Linux 上大约 108 字节，macOS 上 104 字节）。
errno-ENAMETOOLONG-fix = 用短一点的路径，比如放在 /tmp 下面。
errno-EROFS = AF_UNIX 套接字文件要创建在一个只读的文件系统上。
errno-EROFS-fix = 绑定到可写文件系统上的路径，比如 /tmp。
errno-ELOOP = 解析 AF_UNIX 路径时跟随的符号链接太多了。
errno-ELOOP-fix = 去掉符号链接形成的循环，或者直接用真实路径。
errno-EEXIST = 这个名字上已经有东西了，比如上一次运行留下来的 AF_UNIX 套接字文件。
errno-EEXIST-fix = bind 之前先把旧文件删掉（unlink），或者换一个路径。
errno-ENODEV = 没有这个网络设备：指定的接口（SO_BINDTODEVICE、IPv6 的 scope id）不存在。
errno-ENODEV-fix = 用 `ip link` 列出的接口名，比如 lo 或 eth0。
errno-ENXIO = 没有这个设备或地址，通常是因为把 AF_UNIX 套接字文件当成普通文件用 open() 打开了。
errno-ENXIO-fix = 和 AF_UNIX 套接字通信要用 socket() 和 connect()，而不是 open()。
errno-unknown = 操作系统报告了一个本工作台没有解释的错误号；可以用 `man errno` 查一查。

## 结合具体调用和套接字的 errno 解释（engine/explain.rs）
explain-econnaborted-connect = 这个套接字上之前的一次 connect() 失败了，错误也已经报告过（或者已经用 SO_ERROR 读走了）；内核对下一次 connect() 回答 ECONNABORTED，并把套接字复位。
explain-econnaborted-connect-fix = 再调用一次 connect()：现在这个套接字可以连接了。
explain-econnrefused-unix-dgram = 套接字文件还在，但已经没有套接字绑定在它上面了（绑定它的程序已经把套接字关掉了）。
explain-econnrefused-unix-dgram-fix = 重新启动接收方的程序，或者删掉这个过时的套接字文件。
explain-econnrefused-unix-stream = 套接字文件还在，但没有程序在上面监听（从来没调用过 listen()，或者它的程序已经把套接字关掉了）。
explain-econnrefused-unix-stream-fix = 先启动服务器（bind，再 listen）；如果原来的程序已经不在了，就删掉这个过时的套接字文件。
explain-econnrefused-udp = 这个已连接的 UDP 套接字之前发出的一个数据报，到达了一个没有任何套接字绑定的端口；对方回的“端口不可达”（port unreachable）要到这次后来的调用才报告出来。
explain-econnrefused-udp-fix = 先启动接收方，或者检查它的端口；这个错误只报告一次，之后的调用照常进行。
explain-eaddrinuse-unix = 这个路径上已经有一个文件了：套接字关闭以后，套接字文件还会留在磁盘上。
explain-eaddrinuse-unix-fix = 先删掉旧文件（os.unlink(path)），或者换一个路径。
explain-eaddrinuse-reuseaddr = 另一个套接字绑定了这个端口，而且还在用。SO_REUSEADDR（这里已经设置了）只能让 bind() 重用旧连接还在 TIME_WAIT 里等待的端口，不能重用正被别的套接字绑定或监听的端口。
explain-eaddrinuse-reuseaddr-fix = 停掉另一个程序或者关闭另一个套接字，或者换一个端口（端口 0 让内核自己挑）；要让两个套接字监听同一个端口，两个都得设置 SO_REUSEPORT。
explain-enetunreach-v6only = 这个套接字只用 IPv6（IPV6_V6ONLY = 1），所以到不了 { $target }：这是一个写成 IPv6 形式的 IPv4 地址，而对这个套接字来说，IPv4 是另一个网络。
explain-enetunreach-v6only-fix = 对端是 IPv4 就用 AF_INET 套接字，或者用不设置 IPV6_V6ONLY 的 IPv6 套接字。
explain-epipe-write-shut = 这个套接字自己用 shutdown(SHUT_WR) 关闭了发送方向（半关闭），不能再用它发送任何数据。
explain-epipe-write-shut-fix = 在 shutdown(SHUT_WR) 之前把要发的数据全部发完。
explain-no-default-destination = 这个数据报套接字没有默认的目的地址：要先 connect()，send() 才能用。
explain-no-default-destination-fix = 用 sendto(data, address)，或者先把套接字 connect() 到对端。
explain-ebadf-closed = 这个套接字已经关闭了（close()）；它的描述符已经不存在，任何调用都不能再用它。
explain-ebadf-closed-fix = 新建一个套接字。
## 收到空结果是什么意思（engine/explain.rs）
explain-empty-recv-zero = 立刻返回 b''：recv(0) 本来就一个字节也不要
explain-empty-recv-datagram = 一个空的数据报（0 字节，不表示文件结束）
explain-empty-recv-read-shut = b''：这个套接字自己关闭了读方向（shutdown(SHUT_RD)），这跟对端无关
explain-empty-recv-eof = b''：文件结束（EOF），对端关闭了它的发送方向
## 数据报发到了没人接收的地方（engine/explain.rs）
explain-nothing-bound-connect = 本机上没有任何套接字绑定在 { $destination }：UDP 套接字的 connect() 只是设定数据报发往哪里，所以它会成功；但你发出的数据会被丢弃，之后的 recv 可能会以 ECONNREFUSED 失败。
explain-nothing-bound-sendto = 本机上没有任何套接字绑定在 { $destination }：这个数据报被丢弃了，而 UDP 不会告诉发送方。先在那里绑定一个套接字，或者发给一个已经绑定的地址。
## 是什么结束了调用的等待（engine/explain.rs）
explain-woken-timeout-closed = 超时到了，而套接字在等待期间已经被关闭
explain-woken-ready-closed = 套接字就绪了，但它在等待期间已经被关闭
explain-woken-connected = 连接建立好了
explain-woken-refused = 对端拒绝了连接（RST）
explain-woken-gave-up = 没有应答：内核重试多次后放弃了
explain-woken-accepted = 有连接到达
explain-woken-reset = 对端重置了连接（RST）
explain-woken-read-closed = 连接的读方向关闭了（对端发来了 FIN，或者是我们自己 shutdown 了）
explain-woken-data = 数据到了
explain-woken-room = 发送缓冲区腾出了空间
explain-woken-no-wait = 没有等待
explain-woken-writable = 发送缓冲区有空间了 / 连接已完成
explain-woken-hangup = 对端关闭或重置了连接
explain-woken-timeout = 超时
explain-woken-cancel = 取消
explain-woken-close = 关闭
## 被工作台结束的调用（engine/explain.rs）
explain-cancelled-by-user = 被工作台取消；如果是 Python 程序，这个 { $call }() 会一直等下去
explain-cancelled-by-close-all = 工作台关闭所有套接字时结束了它；如果是 Python 程序，这个 { $call }() 会一直等下去

## 套接字选项（engine/options.rs）：option-about-<名字> 在运行时拼出，options::OPTIONS 里每个选项一条；由 i18n::tests 检查
option-about-SO_REUSEADDR = 允许 bind 到一个还有连接处在 TIME_WAIT 状态的端口。
option-about-SO_REUSEPORT = 允许多个套接字绑定同一个地址和端口（每个套接字都要设置）。
option-about-SO_BROADCAST = 允许往广播地址发送 UDP 数据报。
option-about-SO_KEEPALIVE = 在空闲的连接上发送 TCP 保活（keep-alive）探测。
option-about-SO_LINGER = 决定 close() 怎样结束连接：linger 为 0 时发送 RST，而不是 FIN。
option-about-SO_RCVBUF = 接收缓冲区的大小，单位是字节（Linux 实际用的是设置值的两倍）。
option-about-SO_SNDBUF = 发送缓冲区的大小，单位是字节（Linux 实际用的是设置值的两倍）。
option-about-SO_ERROR = 读取（并清除）套接字上待处理的错误，比如非阻塞 connect 的结果。
option-about-TCP_NODELAY = 小的报文段立刻发出，不再等着合并（关闭 Nagle 算法）。
option-about-IP_TTL = 生存时间（TTL）：一个 IPv4 数据包最多能经过多少个路由器。
option-about-IPV6_V6ONLY = IPv6 套接字不接受 IPv4 对端（关闭时为双栈）。
option-about-IP_MULTICAST_TTL = 组播数据报能传多远（1 = 只在本网络内）。
option-about-IP_MULTICAST_LOOP = 把本机发出的组播数据报也送回本机。
option-about-IP_ADD_MEMBERSHIP = 在一个网络接口上加入 IPv4 组播组。
option-about-IP_DROP_MEMBERSHIP = 退出 IPv4 组播组。
option-about-IPV6_MULTICAST_LOOP = 把本机发出的 IPv6 组播数据报也送回本机。
option-about-IPV6_JOIN_GROUP = 加入 IPv6 组播组（接口索引，0 = 默认接口）。
option-about-IPV6_LEAVE_GROUP = 退出 IPv6 组播组。
## setsockopt/getsockopt 为什么还没到内核就被拒绝了（engine/options.rs）
option-unknown = 没有“{ $name }”这个选项；已知的选项有：{ $known }
option-takes-integer = { $name } 需要一个整数，而不是 { $value }
option-out-of-range = { $name } 的值必须在 0 到 { $max } 之间
option-linger-value = SO_LINGER 需要 (onoff, seconds) 这样的值，而不是 { $value }
option-read-only = { $name } 只能读取，不能设置
option-set-only = { $name } 只能设置，不能读取
option-membership-v4-value = 组播成员选项需要一个组地址和一个接口地址
option-membership-v6-value = 组播成员选项需要一个组地址和一个接口索引
option-not-ipv4-group = “{ $group }”不是 IPv4 组地址
option-not-ipv4-multicast = { $group } 不是组播地址（D 类地址，224.0.0.0-239.255.255.255）
option-not-ipv4-interface = “{ $interface }”不是 IPv4 接口地址
option-not-ipv6-group = “{ $group }”不是 IPv6 组地址
option-not-ipv6-multicast = { $group } 不是 IPv6 组播地址（ff00::/8）
option-not-interface-index = “{ $interface }”不是接口索引

## 调用和检查器（ui/calls.rs、ui/inspector.rs）
calls-closed = 套接字已关闭
calls-bind-once = 已经有地址了（状态：{ $state }）：一个套接字只能绑定一次
calls-listen-not-udp = listen 只用于流式套接字：UDP 没有连接可以接受
calls-listen-needs-bind = listen 需要一个已绑定的流式套接字：先调用 bind()
calls-listen-unconnected = 只有已绑定、还没连接的套接字才能监听
calls-accept-not-udp = accept 只用于正在监听的流式套接字：UDP 没有连接
calls-accept-needs-listen = accept 需要一个正在监听的套接字：先 bind()，再 listen()
calls-connect-listening = 监听套接字只负责接受连接，自己不能再去连接
calls-connect-once = 已经连接（或正在连接）：一个 TCP 套接字只能连接一次
calls-recv-listening = 监听套接字上不传数据：先 accept() 得到一条连接，再在那条连接上 recv
calls-recv-unconnected = recv 需要一个已连接的套接字：先 connect()（客户端）或 accept()（服务器）
calls-recv-unbound-udp = 没有绑定的 UDP 套接字收不到任何数据：先 bind()（或者先发送：发送时会自动绑定一个临时端口）
calls-send-shut = 发送方向已经关闭（shutdown SHUT_WR）
calls-send-unconnected = send 需要一个已连接的套接字：先 connect() 或 accept()
calls-send-no-peer = 未连接的 UDP 套接字没有默认的对端：用 sendto，或者先 connect()
calls-sendto-stream = sendto 用于数据报套接字；TCP 套接字用 send
calls-shutdown-unconnected = shutdown 需要一个已连接的流式套接字
calls-no-peer = 还没有连接：没有对端
calls-bad-port = “{ $port }”不是端口号（0-65535）
calls-port-out-of-range = 端口 { $port } 超出范围（端口号是 0-65535）
calls-host-missing = 缺少主机，例如 127.0.0.1:8080
calls-bad-backlog = “{ $text }”不是有效的 backlog（应为整数）
calls-bad-bufsize = “{ $text }”不是有效的 bufsize（应为字节数）
calls-not-now = 现在不能调用：{ $reason }
calls-not-now-label = 现在不能调用：
calls-not-now-label-tip = 在当前状态下这些调用没有意义；把鼠标停在某个按钮上可以看到原因
calls-bind-address = 绑定地址
calls-all-interfaces = 所有网络接口：网络上的其他机器也能连到
calls-backlog = 监听队列长度
calls-connect-address = 连接地址
calls-bufsize = 缓冲区大小
calls-peek-tip = 只看数据，不取走：下一次 recv 还会收到它
calls-waitall-tip = 一直等到收满 bufsize 字节（或者遇到 EOF）
calls-dontwait-tip = 这一次调用不等待，不管套接字是什么模式
calls-role-tip = 这个套接字是做什么用的，根据在它上面做过的调用判断
calls-role-accepted = 接受的连接
calls-role-listener = 监听套接字
calls-role-client = 客户端
calls-thread-failed = 工作台为这个套接字开的线程出错了（是工作台的 bug，不是内核的问题）：{ $failure }
calls-local = 本地 { $address }
calls-peer = 对端 { $address }
calls-counters = 收 { $bytes_in }（{ $recv_calls } 次 recv）· 发 { $bytes_out }（{ $send_calls } 次 send）
calls-counters-tip = 收到和发出的字节数，以及用了多少次 recv 和 send
calls-automatic = 自动：{ $summary }
calls-automatic-tip = 这些调用由套接字的线程自己完成（见下面的“自动行为”）
calls-name = 名字
calls-name-taken = 显示为 { $name }：这个名字已经被占用
calls-to = 连到：
calls-use-address-tip = connect 时用这个地址
inspector-nothing-received = 已接收：还没有数据（每次 recv 收到的字节会显示在这里）。
inspector-send = 发送
inspector-kernel = 内核
inspector-repeat-history = 重复发送和历史
inspector-name-mode-options = 名字、模式和选项
inspector-automatic = 自动行为
inspector-empty-create = 先在左边创建一个套接字（新建 TCP 套接字），然后在这里一次做一个调用，看看每个调用做了什么。
inspector-empty-select = 选中一个套接字，它就会显示在这里；点它卡片上的“并排”，会在这个检查器旁边再打开一个。

## 套接字列表（ui/sockets.rs）
sockets-close-all = 全部关闭
sockets-close-all-tip = 对每个打开的套接字调用 close()；还在等待的调用由工作台结束
sockets-new-tcp = 新建 TCP 套接字
sockets-new-udp = 新建 UDP 套接字
sockets-stream = 流式
sockets-datagram = 数据报
sockets-new = 新建 { $family } { $kind } 套接字
sockets-forgotten = 已忘记 { $count } 个关闭的套接字（只保留最近关闭的 { $kept } 个）
sockets-forgotten-explained = 超过上限的已关闭套接字会被忘记，最早关闭的先忘，这样连接不断来去的服务器也不会越占越多；打开的套接字始终保留。被忘记的套接字，它的卡片、泳道和调用都会消失（还在列表里停留片刻的调用会标明已忘记）。
sockets-none-yet = 还没有套接字。
sockets-closed-earlier-hide = 之前关闭的（{ $count } 个）：收起
sockets-closed-earlier-show = 之前关闭的（{ $count } 个）：展开
sockets-closed-earlier-tip = 到目前为止关闭的套接字：它们的卡片、调用和数据
sockets-select-tip = 在检查器中显示这个套接字
sockets-beside = 并排
sockets-beside-shown-tip = 已经在显示了；再在其他检查器旁边为它打开一个
sockets-beside-tip = 在其他检查器旁边新开一个检查器显示这个套接字
sockets-close = 关闭
sockets-close-tip = 对 { $name } 调用 close()
sockets-unbound = （未绑定）
sockets-reachable-tip = 绑定在所有网络接口上（或者绑定在一个不是回环的接口上）：网络上的其他机器都能连进来，除非被防火墙挡住
sockets-children = 下面有 { $count } 个接受的连接，其中 { $open } 个仍然打开
sockets-no-call-pending = 没有等待中的调用

## 模式、选项、自动行为和内核（ui/settings.rs）
settings-mode = 模式：
settings-bad-timeout = “{ $text }”不是毫秒数
settings-timeout-ms = 超时毫秒数
settings-kernel-value = 内核：{ $value }
settings-option-set-done = 已设置
settings-get-failed = 读取失败：{ $error }
settings-set-failed = 设置失败：{ $error }
settings-set = 设置
settings-get = 读取
settings-bool-on = 开（1）
settings-bool-off = 关（0）
settings-read-only = 只读
settings-option-value = { $option } 的值
settings-bad-whole-number = “{ $text }”不是整数
settings-linger-on = 开启
settings-linger-seconds = linger 秒数
settings-bad-seconds = “{ $text }”不是秒数
settings-linger-tip = 开启并设为 0 秒：close() 发送 RST 而不是 FIN
settings-group = { $option } 组播组
settings-interface = { $option } 接口
settings-auto-accept = 自动接受连接
settings-auto-accept-tip = 监听套接字在每个连接到达时就接受它；每个连接都有自己的卡片
settings-auto-receive = 自动接收
settings-auto-receive-tip = 只要有数据到达就循环接收（接受的连接会继承这个设置）
settings-responder = 应答方式
settings-responder-none = 不应答
settings-responder-tip = 对收到的每块数据作出应答：原样回显、转成大写回显、一个 HTTP 网页、当前时间（收到的内容当作 strftime 格式）、摄氏度换算成华氏度，或者不应答
settings-flood-rate = 泛洪发送 字节/秒（0 = 不限速）
settings-flood-chunk = 每块字节数
settings-flood-to = 发往
settings-stop-flood = 停止泛洪发送
settings-start-flood = 开始泛洪发送
settings-start-flood-tip = 以允许的最快速度发送生成的字节，用来测吞吐量或者填满缓冲区
settings-bad-rate = “{ $text }”不是速率（单位：字节/秒）
settings-bad-chunk = “{ $text }”不是有效的块大小（至少 1 字节）
settings-ask-kernel = 询问内核
settings-ask-kernel-tip = 问问内核此刻为这个套接字保存着什么：排队的字节、缓冲区大小、TCP 状态、accept 队列。
settings-taken-ago = { $seconds } 秒前获取

## 发送框（ui/composer.rs）
composer-mode-text = 文本
composer-mode-hex = Hex
composer-mode-file = 文件
composer-mode-text-tip = 输入文本；转义 \r \n \t \0 \\ \xNN 会变成对应的字节
composer-mode-hex-tip = 用十六进制数字输入字节：48 65 6c 6c 6f
composer-mode-file-tip = 发送一个文件的内容
composer-encoding = 编码
composer-encoding-tip = 输入的字符按哪种编码变成字节
composer-line-ending = 行尾
composer-line-ending-tip = 加在文本后面
composer-send-text = 要发送的文本
composer-send-text-hint = hello\r\n —— 留空则发送 b''
composer-send-hex = 要发送的十六进制
composer-file-path = 文件路径
composer-file-path-hint = 文件的路径
composer-load = 载入
composer-load-tip = 把文件读进来，作为要发送的数据
composer-loaded = 已从 { $path } 载入 { $count } 字节
composer-preview = { $count } 字节：{ $bytes }
composer-too-big-for-udp = 超过 { $max } 字节：一个 UDP 数据报装不下，这次调用会以 EMSGSIZE 失败。
composer-cannot-send = 无法发送：{ $error }
composer-file-path-changed = 载入文件之后路径又改过了：请按“载入”
composer-file-not-loaded = 还没有载入文件：输入路径后按“载入”
composer-file-no-path = 请先输入要发送的文件的路径
composer-file-directory = { $path } 是目录，不是文件
composer-file-too-big = { $path } 有 { $size }：发送框最多只能载入 { $max } 的文件
composer-destination = 目的地址
composer-destination-hint = 主机:端口
composer-destination-tip = 写成 主机:端口、[v6]:端口，或者 Python 的 ('127.0.0.1', 9999)。在你改动之前，默认是这个套接字最近一次收到数据的来源，没有的话就是工作台里的另一个 UDP 套接字
composer-to = 发给：
composer-send-to-socket-tip = 发给这个套接字
composer-destination-error = 目的地址：{ $error }
composer-no-destination = 还没有目的地址：输入 主机:端口，或者在“发给：”后面选一个套接字（没有的话，再建一个 UDP 套接字）
composer-destination-invalid = 目的地址无效：{ $error }
composer-payload-error = 要发送的数据有错误：{ $error }
composer-not-sent = { $call }() 没有发送：{ $reason }
composer-not-now = 现在不能调用：{ $reason }
composer-repeat = 重复发送
composer-repeat-call-tip = 每次重复时用哪个调用
composer-repeat-times = 次数
composer-repeat-times-tip = 调用多少次；留空或 0：一直重复到按“停止”
composer-repeat-every = 间隔毫秒
composer-repeat-every-tip = 两次调用之间隔多少毫秒；0：每帧一次
composer-repeat-start = 开始
composer-repeat-start-tip = 现在调用一次，之后按设定重复；发送的就是现在这份数据
composer-repeat-not-started = 重复发送没有开始：{ $reason }
composer-repeat-error = 重复发送：{ $reason }
composer-repeat-progress = 重复 { $done }/{ $total }
composer-repeat-progress-until-stop = 已重复 { $done } 次（直到停止）
composer-repeat-every-status = 每 { $ms } ms 调用一次 { $call }()
composer-repeat-waiting = · 正在等上一个调用返回
composer-repeat-stop = 停止
composer-repeat-stop-tip = 停止重复发送
composer-bad-times = “{ $text }”不是有效的次数（要写整数）
composer-bad-interval = “{ $text }”不是有效的毫秒间隔（要写整数）
composer-repeat-needs-interval = 要一直重复到停止，请给出间隔（每帧都发的话，那是自动泛洪发送的事）
composer-repeat-stopped = 重复发送已停止，共调用了 { $count } 次 { $call }()
composer-repeat-ended = 重复发送在 { $count } 次调用后停止：{ $reason }
composer-repeat-done = 重复发送完成：共调用了 { $count } 次 { $call }()
composer-history = 历史记录（{ $count }）
composer-resend = 再发一次
composer-resend-tip = 载入这份数据，用同一个调用再发一次
composer-history-load-tip = 把这份数据载入发送框

## 套接字收到的数据（ui/data.rs）
data-mode-text = 文本显示
data-mode-hex = Hex 显示
data-mode-both = 文本 + Hex
data-not-in-session = 套接字 { $socket } 不在这个会话里。
data-received = 已接收
data-chunks = { $count } 个数据块，{ $bytes }
data-chunks-shown-of = 显示 { $count } 个数据块（{ $bytes }），共收到 { $received } 个（{ $bytes_in }）
data-dropped = · 最早的 { $count } 个数据块已丢弃（内存上限）
data-dropped-tip = 留在内存里的已接收字节有上限；超过上限时，最早的数据块会被丢弃，并在这里计数。字节计数仍然是准确的。
data-cleared = · 已清除 { $count } 个
data-indexing = · 正在建立索引：{ $done }/{ $total } 个数据块……
data-encoding-tip = 显示（和搜索）已接收字节时用的编码
data-tools = 搜索、复制、保存……
data-tools-tip = 显示搜索框，以及复制已接收数据、把它保存到文件的按钮
data-clear = 清除
data-clear-tip = 丢掉到目前为止收到的数据块（计数保留）
data-search = 搜索
data-search-text-hint = 文本、\r\n、\xNN
data-search-hex-hint = 十六进制字节：0d 0a
data-search-tip = 在每个数据块里查找这些字节（被两次 recv 分开的匹配找不到）。Enter：下一个匹配。
data-search-text = 文本
data-search-text-tip = 按所选编码搜索文本（可以用转义）
data-search-hex = Hex
data-search-hex-tip = 按十六进制字节搜索
data-no-match = 没有匹配
data-match-of = 第 { $current } 个匹配，共 { $count }{ $more } 个
data-matches = { $count }{ $more } 个匹配
data-previous = 上一个
data-previous-tip = 上一个匹配（Shift+Enter）
data-next = 下一个
data-next-tip = 下一个匹配（Enter）
data-copy = 复制
data-copy-tip = 把显示的所有行（保留的每个数据块）复制到剪贴板
data-copied = 已把 { $size } 文本复制到剪贴板。
data-copied-limit = 已把前 { $size } 文本复制到剪贴板（已到上限）。
data-save-to = 保存到
data-save = 保存
data-save-tip = 把保留的每个数据块的原始字节，从旧到新写进这个文件
data-save-no-path = 请先输入要保存到的文件路径
data-saved = 已把 { $count } 字节（{ $chunks } 个数据块）保存到 { $path }。
data-save-failed = 无法保存：{ $error }
data-search-error = 搜索：{ $error }
data-header-at = { $seconds } 秒
data-header-eof = EOF：recv 返回了 b''（对端关闭了它那一侧）
data-header-empty-datagram = 0 字节：一个空数据报
data-header-auto = 自动接收：{ $calls } 次 recv，{ $bytes }
data-header-first = ；前 { $count } 字节：
data-header-truncated = 数据报原有 { $size } 字节，被截断为 { $count } 字节

## Python 代码视图（ui/code_view.rs）
code-copy-all = 全部复制
code-copy-all-tip = 把每个调用的 Python 代码行复制到剪贴板
code-copied = 已复制 { $count } 行
code-follow-newest = 跟随最新
code-export-path = 导出路径
code-export = 导出为 Python
code-export-tip = 写出一个能运行的 Python 3 脚本，重现这个会话（只用标准库）
code-export-written = 已写入 { $path }（{ $bytes } 字节）；运行方法：python3 { $path }
code-export-no-path = 导出失败：请先输入文件路径
code-export-failed = 无法写入 { $path }：{ $error }
code-dropped = 因日志上限而丢弃的最早 { $count } 个调用没有显示
code-no-calls = # 还没有调用：你的每个调用都会以 Python 代码显示在这里。

## 吞吐量（ui/throughput.rs）
throughput-heading = 每秒字节数，最近 60 秒，统计间隔
throughput-all-sockets = 所有套接字
throughput-all-sockets-tip = 显示每个收发过数据的套接字（超过 { $max } 个时只显示最忙的 { $max } 个）；否则只显示勾选的
throughput-no-data = 最近一分钟没有数据收发。
throughput-busiest-shown = 显示 { $count } 个套接字中最忙的 { $max } 个
throughput-choose = 选择套接字（{ $count } 个收发过数据）
throughput-in = { $socket } 接收
throughput-out = { $socket } 发送
throughput-x-axis = 自开始以来的秒数
throughput-y-axis = 每秒字节数

## 调用表（ui/call_table.rs；导出的文件仍用英文）
table-column-time = 时间
table-column-socket = 套接字
table-column-call = 调用
table-column-arguments = 参数
table-column-result = 结果
table-column-duration = 耗时
table-column-bytes = 字节数
table-column-origin = 来源
table-origin-user = 用户
table-origin-script = 脚本
table-origin-auto = 自动
table-call-auto = 自动
table-auto-recv = { $count } 次 recv 调用，{ $bytes }
table-auto-send = { $count } 次 send 调用，{ $bytes }
table-auto-errors = { $count } 个错误
table-auto-separator = ；
table-filter = 过滤
table-filter-hint = 套接字、调用或结果
table-filter-tip = 只显示套接字、调用或结果里含有这段文字的行
table-socket = 套接字
table-follow-newest = 跟随最新
table-follow-newest-tip = 有新行进来时，始终让最后一行留在视野里
table-top = 顶部
table-bottom = 底部
table-rows = { $shown } 行
table-rows-of = { $shown } 行（共 { $total } 行）
table-indexing = （正在建立索引 { $percent } %）
table-oldest-dropped = ，最早的 { $count } 行因内存上限被丢弃
table-automatic-let-go = ，较早的 { $count } 条自动调用记录已舍弃（每个套接字只保留最新的 { $kept } 条）
table-export-to = 导出到
table-export-csv = 导出 CSV
table-export-csv-tip = 把显示的每一行（保留过滤和排序）写成 CSV
table-export-json = 导出 JSON
table-export-json-tip = 把显示的每一行（保留过滤和排序）写成一个 JSON 数组
table-exporting = 正在导出：{ $done } / { $total } 行（{ $percent } %）
table-exporting-choosing = 正在导出：正在挑选要导出的行……
table-export-cancel = 取消导出
table-export-cancel-tip = 停止导出；文件不会写出（原来的旧文件保持不变）
table-export-written = 已把 { $rows } 行写入 { $path }
table-export-missing = （有 { $missing } 行在写入之前就因内存上限被丢弃了）
table-export-no-path = 请先填写要写入的文件路径。
table-export-writer-stopped = 无法写入 { $path }：写文件的线程已停止
table-export-cancelled = 导出已取消；没有写入 { $path }
table-sort-tip = 按{ $column }排序（再点一次反向排序）
table-row-dropped = （已因内存上限被丢弃）

## 系统套接字（ui/system_table.rs）
system-reading = 正在读取 /proc/net……
system-no-socket-with-ports = 这台机器上现在没有使用这些端口的套接字。
system-state = 状态
system-column-local = 本地地址
system-column-remote = 远端地址
system-column-proto = 协议
system-column-rx-queue = 接收队列
system-column-tx-queue = 发送队列
system-state-none = （无）
system-state-all = 全部
system-address-reachable = { $address }（{ $reachable }）
system-address-reachable-tip = { $address }：所有网卡（或者某个不是回环的网卡）：网络上的其他机器都能连进来，除非被防火墙挡住
system-ours = 我们的
system-summary = 这台机器上有 { $total } 个套接字，显示了 { $shown } 个，其中 { $ours } 个是我们的（高亮）；读取用了 { $ms } ms
system-read-problems = 读取 /proc/net 时遇到 { $count } 个问题
system-port = 端口
system-port-any = 任意
system-port-tip = 只显示本地端口或远端端口是这个端口的套接字
system-only-ours = 只看我们的
system-only-ours-tip = 本程序持有的套接字，以及我们的地址上处于 TIME_WAIT 或还没被 accept 的连接
system-pause = 暂停
system-pause-tip = 不再每半秒重读一次表格，方便仔细看
system-refresh = 立即刷新
system-not-a-port = “{ $text }”不是端口号（0-65535）

## 内核里的套接字（ui/kernel_view.rs）
kernel-not-available = 这个操作系统上没有内核视图：接收队列和发送队列的字节数（SIOCINQ / SIOCOUTQ）、TCP 状态和 RTT（TCP_INFO），以及监听套接字的全连接队列，只有在 Linux 上才能读到。
kernel-state-established = 已连接：数据可以双向传输
kernel-state-syn-sent = connect() 已经发出 SYN，正在等对方的 SYN-ACK
kernel-state-syn-recv = 对方的 SYN 已经到达，我们的 SYN-ACK 也已发出；正在等三次握手的最后一个 ACK
kernel-state-fin-wait1 = 我们已经关闭（发出了 FIN）；正在等对方确认
kernel-state-fin-wait2 = 我们的 FIN 已被确认；正在等对方关闭它那一端（对方还可以继续发送）
kernel-state-time-wait = 我们关闭之后还要等 2*MSL，让迟到的报文段消失；在此期间地址仍被占用
kernel-state-close = 已关闭：没有连接
kernel-state-close-wait = 对方已经关闭；我们还没有调用 close()
kernel-state-last-ack = 对方先关闭，我们随后也关闭了；正在等对方对我们 FIN 的 ACK
kernel-state-listen = 等待连接：内核完成三次握手，把连接排进队列，等 accept() 取走
kernel-state-closing = 双方同时关闭；正在等对方对我们 FIN 的 ACK
kernel-state-unix-listening = 一个正在等待连接的 Unix 套接字
kernel-state-unix-connected = 一个已经连上对端的 Unix 套接字
kernel-queue-of = { $used } / { $size }（{ $option }）
kernel-accept-cells = 全连接队列的格子，已占 { $queued } 个，共 { $backlog } 个
kernel-accept-queue = 全连接队列
kernel-accept-queue-tip = 内核已经完成三次握手、正在等 accept() 取走的连接
kernel-accept-count = { $queued } / { $backlog }
kernel-accept-full = 已满（Linux 会比 backlog 多放进一个）：新客户端的 SYN 会被丢弃，它们的 connect() 会重传 SYN
kernel-accept-at-backlog = 已达到 backlog：还能再放进一个，之后新客户端只能等待
kernel-accept-waiting = 等待 accept()
kernel-closed-short = 已关闭
kernel-closed = 套接字已关闭：内核里不再为它保存任何东西（如果留下了 TIME_WAIT 条目，可以在系统套接字表里看到）。
kernel-no-snapshot = 还没有快照：先问一下内核。
kernel-snapshot-old = 这是 { $seconds } s 前的快照；内核里现在可能已经不一样了。
kernel-next-datagram = 下一个数据报
kernel-next-datagram-tip = 排在最前面、等待 recv() 的那个数据报的字节数
kernel-receive-queue = 接收队列
kernel-receive-queue-tip = 已经到达、等待 recv() 读取的字节；SO_RCVBUF 还要算上内核的记账开销，所以进度条还没满，队列就已经满了
kernel-send-queue = 发送队列
kernel-send-queue-tip = send() 已经交给内核、但对方还没有确认的字节：已发出正在等 ACK 的，或者根本还没发出的
kernel-not-yet-sent = 尚未发出
kernel-not-yet-sent-tip = 发送队列里还完全没有发出的字节：对方的窗口已关闭（它不读数据），或者被拥塞控制压着
kernel-buffer-used = 已用缓冲区
kernel-buffer-used-tip = 正在使用的接收缓冲区，包括内核为每个数据报记账的开销：一个 1 字节的数据报也要占几百字节，所以小的 SO_RCVBUF 放不下几个
kernel-dropped = 丢弃
kernel-dropped-tip = 因为接收缓冲区已满，内核为这个套接字丢掉的数据包；发送方不会得到通知
kernel-packets = { $count } 个包
kernel-buffers = 缓冲区
kernel-buffers-tip = 没有连接：队列里什么也没有；这里是 SO_RCVBUF 和 SO_SNDBUF 给它的大小
kernel-rtt-tip = 内核平滑后的到对端的往返时间
kernel-told-nothing = 内核没有告诉我们这个套接字的任何信息。

## 抓包视图（ui/wire_view.rs）
wire-export-written = 已把 { $segments } 个报文段写入 { $path }；可以这样查看：tcpdump -r { $path }
wire-export-nothing = 没有可导出的内容：还没有抓到报文段
wire-capturing = 正在回环接口上抓取这些套接字的报文段
wire-private-network-note = 在私有网络命名空间里，抓包不需要特权：这些套接字只能互相连通，连不到本机的网络
wire-stop-capture = 停止抓包
wire-stop-capture-tip = 不再读取线路上的报文段；已经抓到的会保留
wire-capture = 开始抓包
wire-capture-tip = 在时间线和这张表里显示工作台的套接字在回环接口上的 TCP 和 UDP 报文段（需要 CAP_NET_RAW）
wire-off = 抓包已关闭。
wire-new-sockets-private = 新建的套接字都在私有网络命名空间里。
wire-leave-private-network = 回到本机网络
wire-leave-private-network-tip = 停止这次抓包；之后新建的套接字在本机网络里（私有网络里的套接字之间仍然可以继续通信）
wire-without-privilege = 或者不用特权抓包：
wire-use-private-network = 使用私有网络
wire-use-private-network-tip = 之后新建的套接字放在一个独立的网络命名空间里，有自己的回环接口，在那里抓包不需要特权。它们只能互相连通，连不到本机的其他程序。
wire-use-private-network-disabled-tip = 只能在创建第一个套接字之前使用：请先关闭所有套接字（全部关闭）
wire-close-sockets-first = （请先关闭所有套接字）
wire-pcap-path = pcap 路径
wire-export-pcap = 导出 pcap
wire-export-pcap-tip = 把保留的报文段写成 pcap 文件（可以用 tcpdump -r 或 Wireshark 打开）
wire-kept = 保留了 { $count } 个
wire-in-floods = 另有 { $count } 个属于密集发送，按时间段计数（没有逐个保留）
wire-frames-lost = 丢失了 { $count } 帧：抓包的内核队列满了
wire-oldest-dropped = 最早的 { $count } 个因数量上限被丢弃
wire-no-segments-yet = 还没有报文段：connect、send 或 close 一下，每个报文段都会出现在这里。
wire-no-segments = 没有抓到报文段。
wire-column-from-to = 源 → 目的
wire-column-flags = 标志
wire-column-seq = 序号
wire-column-ack = 确认号
wire-column-window = 窗口
wire-column-length = 长度
wire-icmp-port-unreachable = ICMP 端口不可达
wire-flood = 密集发送：{ $duration } 内 { $count } 个报文段
wire-summarised = （已汇总）
wire-grant-with = 授权命令
wire-copy-command = 复制命令
wire-copy-command-tip = 复制让本程序能够抓包的命令，然后在终端里运行它

## 时间线（ui/timeline.rs、ui/timeline/wire.rs）
timeline-resume = 继续
timeline-pause = 暂停
timeline-pause-tip = 把时间线定格在此刻（调用照常进行）
timeline-follow-live = 实时跟随
timeline-follow-live-tip = 让最新的调用留在视野里：有调用阻塞时跟到当前时刻，否则跟到最后一个调用
timeline-zoom-in = 放大
timeline-zoom-in-tip = 显示更短的时间、更多的细节（Ctrl + 滚轮）
timeline-zoom-out = 缩小
timeline-zoom-out-tip = 显示更长的时间（Ctrl + 滚轮）
timeline-fit = 全部显示
timeline-fit-tip = 显示整个会话，从第一个调用到最后一个调用
timeline-segments = 报文段
timeline-segments-tip = 在泳道之间画出线路上的 TCP 和 UDP 报文段（先在抓包视图里开始抓包）
timeline-scale = 每 100 点 { $duration }
timeline-paused = 已暂停
timeline-marks-only = 视野里有 { $count } 个调用：放大才能看清每一个
timeline-forgotten = 已忘记 { $count } 个关闭的套接字：不再有泳道
timeline-diagram = 时间线图
timeline-lane-accepted = { $name }（accept 得到的）
timeline-lane = 泳道 { $name }
timeline-no-sockets = 还没有套接字：每个套接字在这里有一条泳道，每个调用是一根条。
timeline-now = 现在
timeline-arrow = 箭头：{ $bytes } 字节，从调用 { $from } 到调用 { $to }
timeline-dropped = 丢失
timeline-dropped-tip = 丢失：调用 { $call } 发出的数据报始终没有到达 { $socket }
timeline-dropped-tip-gone = 丢失：调用 { $call } 发出的数据报始终没有到达它的套接字
timeline-bar-tip = 在 { $socket } 上；点击查看详情
timeline-auto = 自动：{ $recv_calls } 次 recv（{ $recv_bytes }），{ $send_calls } 次 send（{ $send_bytes }）
timeline-partial-send = { $sent } / { $total }
timeline-wire-band = { $count } 个报文段 { $arrow }
timeline-wire-to = 发往 { $address }
timeline-wire-port-unreachable = 端口不可达
timeline-wire-segment = 报文段 { $segment }，从 { $from } 到 { $to }
timeline-wire-segment-numbers = 序号 { $seq } · 确认号 { $ack } · 窗口 { $window } B · 数据 { $data } B
timeline-details = 调用详情
timeline-details-close = 关闭详情
timeline-details-socket = 套接字 { $socket }
timeline-details-by-user = 由你发起
timeline-details-by-script = 由脚本发起
timeline-details-by-auto = 由自动行为发起
timeline-details-started = 开始于 { $seconds } s
timeline-details-errno = { $name }（errno { $code }）
timeline-details-result = 结果：{ $result }
timeline-details-fix = 解决办法：{ $fix }
timeline-details-took = 耗时 { $duration }
timeline-details-woken-by = 唤醒原因：{ $what }
timeline-details-bytes-moved = 传送的字节数：{ $count }
timeline-details-truncated = { $size } 字节的数据报被截断了
timeline-details-data = 数据：{ $data }
timeline-details-call-gone = 一个已经不在日志里的调用
timeline-details-call-on = { $socket } 上的 { $call }()
timeline-details-went-to = { $bytes } 字节发往 { $other }
timeline-details-came-from = { $bytes } 字节来自 { $other }
timeline-details-dropped = 丢失：{ $socket } 收到了后面的数据报，却始终没收到这一个

## 无界面运行器的输出（script/run.rs）
run-summary-ok = 通过：{ $calls } 个调用，{ $met } 个预期成立
run-summary-failed = 失败：{ $failed } 个预期不成立，{ $met } 个成立，共 { $calls } 个调用
run-summary-stopped-at = ；停在第 { $line } 行
run-private-network = 这里抓包需要 CAP_NET_RAW 权限，所以这个脚本的套接字建在一个私有的网络命名空间里，那里不需要这个权限（它们只能互相连通）
run-no-private-network = 没法为抓包建立私有网络：{ $why }
run-end-cancelling = == 结束：{ $call }（第 { $line } 行）还在等待，把它取消
run-failed-expectations = 没有成立的预期：
run-stopped = 已停止：{ $stop }
run-thread-failed-mark = 线程出错
run-thread-failed = { $who }：这个套接字的线程出错了：{ $message }
run-wire-summary = [抓包汇总] { $segments } 个报文段，{ $took } 内共 { $bytes } 字节数据
run-wire-lost = 抓包丢了 { $frames } 帧：内核里的抓包队列满了，计数可能偏少
run-wire-off = 抓包关闭
run-wire-on = 抓包开启：这些套接字在回环接口上的报文段会显示在调用之间
run-wire-not-shown = 抓包没有显示：{ $why }
run-wire-goes-on = 脚本继续运行；wire() 要检查的内容只说明，不检查。
run-wire-no-answer = 抓包：抓包程序没有响应
run-wire-is-off = { $what }：抓包没有打开；先写 `wire on`
run-wire-would-check-nothing = 没有
run-wire-not-captured = 没有抓包：本来要检查 { $would }
run-wire-not-running = { $what }：抓包没有在运行
run-wire-stopped = { $what }：抓包停止了
run-wire-behind = { $what }：抓包在 { $ms } ms 内没有跟上
run-no-socket-named = { $what }：还没有叫“{ $name }”的套接字
run-wire-counts = { $segments } 个报文段：{ $syn } 个 SYN，{ $syn_ack } 个 SYN-ACK，{ $fin } 个 FIN，{ $rst } 个 RST，{ $data } 个带数据（{ $bytes } B），{ $zero_window } 个零窗口
run-wire-port-unreachable = ，{ $count } 个 ICMP 端口不可达
run-since-step-began = 从这一步开始算
run-wire-expected = { $what }：预期 { $expected }，实际 { $got }（{ $result }）
run-wire-lost-in-step = ；这一步里抓包丢了帧，计数可能偏少
run-auto-errors = ，{ $count } 个错误
run-auto-first-bytes = ，开头的字节 { $bytes }
run-auto-over = 历时 { $seconds } 秒
run-await-not-started = 这里 await 的那个 '&' 调用没有开始
run-staying = 一直停在这里，直到被打断（Ctrl-C）
run-system-could-not-start = system()：没法开始读取：{ $error }
run-system-not-read = { $what }：{ $ms } ms 内没有读到系统套接字表
run-system-row-to = { $row }，连到 { $remote }
run-system-no-rows = 没有记录
run-system-rows = { $count } 条记录：{ $rows }
run-system-more = ；还有 { $count } 条
run-not-sent = 没有发出
run-started-in-background = 用 & 在后台启动，继续往下执行
run-gave-up = { $call } 等了 { $ms } ms（timeout_ms）还没返回：已把它取消
run-not-a-socket = “{ $name }”不是套接字
run-not-a-socket-yet = “{ $name }”还不是套接字（本该给它命名的调用还没有返回）
run-holds-no-bytes = “{ $name }”里没有字节（它的 recv 没有成功）
run-holds-bytes = “{ $name }”里是字节，不是地址
run-no-value-yet = “{ $name }”还没有值（本该给它赋值的调用还没有返回）
run-no-address-yet = “{ $name }”还没有地址：先 bind 它（或者用它 connect / 发送）
run-unnamed-unix = “{ $name }”没有名字（一个没有绑定的 Unix 套接字）：没法往它发送
run-expected-got = 预期 { $expected }，实际 { $got }
run-got-a-socket = 一个套接字
run-still-pending = 还在等待
run-bytes-moved = 传了 { $count } 字节
run-bytes-dropped = { $count } 字节已经不在了（会话的内存上限把它们丢掉了）
run-not-truncated = { $got }（没有被截断）
run-returned-at-once = 立即返回（{ $took }）
run-blocked = 阻塞了 { $took }
run-no-port = { $actual }（没有端口）
run-port-outside-ephemeral = 端口 { $port }，不在临时端口范围 { $low }-{ $high } 内
run-no-sender = 没有发送方（{ $got }）
run-kernel-field-only = 一个内核字段（只能用在 kernel() 之后）
run-nothing-to-compare = 没有可以比较的：{ $why }
run-blocked-woken-by = 阻塞了 { $took }，唤醒它的是：{ $by }
run-kernel-not-available = 这个系统上没有
run-kernel-call-result = 一个调用结果（kernel() 返回的是快照）
run-kernel-no-field = 没有 { $field }（内核没有报告这个套接字的这一项）
run-kernel-no-snapshot = 没有快照（这个系统上拿不到内核信息）
run-kernel-a-number = { $got }（是数字）
run-kernel-a-name = { $got }（是名字）
run-unlink-refused = { $what }：拒绝执行：“{ $path }”不是套接字文件（工作台只删除套接字文件）
run-unlink-refused-short = 拒绝：不是套接字文件
run-kernel-no-snapshot-within = { $name }.kernel()：{ $ms } ms 内没有拿到快照

run-fix = 解决办法：{ $fix }

## Socket states on cards, headers and lanes (engine/event.rs)
state-created = 新建
state-bound = 已绑定
state-listening = 监听中
state-connecting = 连接中
state-connected = 已连接
state-write-shut = 已关闭发送（半关闭）
state-peer-closed = 对端已关闭（读到了 EOF）
state-closed = 已关闭
state-error = 出错

## Address families, modes, responders, automatic behaviour (engine/command.rs)
family-ipv4 = IPv4
family-ipv6 = IPv6
family-unix = Unix 域
mode-blocking = 阻塞
mode-non-blocking = 非阻塞
mode-timeout = 超时 { $ms } ms
responder-echo = 回显
responder-uppercase-echo = 大写回显
responder-http-hello = HTTP 问候网页
responder-time-server = 时间服务器
responder-celsius-to-fahrenheit = 摄氏度换算成华氏度
responder-discard = 丢弃
auto-accepts = 接受连接
auto-receives = 接收
auto-replies = 应答：{ $responder }
auto-floods-fast = 以最快速度泛洪发送
auto-floods-rate = 泛洪发送 { $rate } 字节/秒
auto-separator = ，

## What each call does: the call buttons' tooltips (engine/call_kind.rs)
callkind-bind-tip = bind(address)：给套接字分配本地地址（端口写 0：由内核挑一个空闲端口）。
callkind-listen-tip = listen(backlog)：把一个已绑定的流式套接字变成服务器；内核最多为 accept() 排队 backlog 个已完成握手的连接。
callkind-accept-tip = accept()：从 accept 队列里取出下一个连接（队列为空时阻塞）；为这个客户端返回一个新的套接字。
callkind-connect-tip = connect(address)：TCP：与正在监听的服务器进行三次握手。UDP：只设置默认的对端。
callkind-send-tip = send(data)：把字节交给内核的发送缓冲区；可能只收下其中一部分——返回值说明收下了多少。
callkind-sendall-tip = sendall(data)：反复调用 send()，直到每个字节都被收下（发送缓冲区满时阻塞）。
callkind-sendto-tip = sendto(data, address)：向那个地址发送一个数据报；不需要连接。
callkind-recv-tip = recv(bufsize)：取走已经到达的最多 bufsize 个字节（一个字节都没到时阻塞）；b'' 表示对端已关闭。
callkind-recvfrom-tip = recvfrom(bufsize)：和 recv 一样，还会告诉你数据是谁发来的（UDP 每次调用取一个完整的数据报）。
callkind-shutdown-tip = shutdown(how)：关闭连接的一个方向；SHUT_WR 发送 FIN（对端的 recv 返回 b''），而本端仍然可以接收。
callkind-close-tip = close()：释放套接字；已连接的 TCP 套接字会发送 FIN（设置了 SO_LINGER 0 时发送 RST）。
callkind-getsockname-tip = getsockname()：套接字自己的地址（可以看到内核挑选的端口）。
callkind-getpeername-tip = getpeername()：已连接的对端的地址。
callkind-setsockopt-tip = setsockopt(level, option, value)：修改一个套接字选项。
callkind-getsockopt-tip = getsockopt(level, option)：读取一个选项在内核中实际生效的值。
callkind-setblocking-tip = setblocking(flag)：True = 调用会等待；False = 调用不等待，立即以 EWOULDBLOCK 失败。
callkind-settimeout-tip = settimeout(seconds)：调用最多等待这么久，然后以超时失败。

## Segments and capture problems (engine/wire.rs)
segment-no-flags = 无标志位
segment-zero-window = { " · 窗口 0" }
wire-problem-no-permission =
    抓包需要 CAP_NET_RAW 权限，而这个程序没有。只需授权一次：
    {"    "}{ $command }
    或者以 root 身份运行工作台。其他功能都不需要这个权限；演示抓包的课程会在它们自己的私有网络里抓包。
wire-problem-not-supported = 在这个系统上无法抓包：{ $why }。
wire-problem-failed = 抓包停止了：{ $why }。

## The system socket table's problems (engine/proc_net.rs)
system-table-not-available = 这个操作系统上没有系统套接字表（它读自 /proc/net，只有 Linux 才有）。
system-table-unreadable = 无法读取 { $path }：{ $error }
system-table-bad-line = { $path } 第 { $line } 行：{ $problem }
system-table-too-few-fields = 只有 { $found } 个字段，至少应有 { $expected } 个
system-table-not-slot = “{ $text }”不是槽位号
system-table-not-socket-number = “{ $text }”不是套接字编号
system-table-not-hex = { $field } 的值“{ $text }”不是十六进制数
system-table-not-number = { $field } 的值“{ $text }”不是数字
system-table-no-port = 地址“{ $text }”后面没有 :port
system-table-address-length = 地址“{ $address }”不是 { $digits } 位十六进制数
system-table-unknown-tcp-state = 未知的 TCP 状态 { $code }
system-table-not-queues = 队列字段“{ $text }”不是 tx:rx 的形式
system-table-not-inet = 不是 inet 协议

## Typed text and hex that are not bytes; line endings (codec.rs)
input-error-at = 第 { $position } 个字符：{ $problem }
input-error-not-in-encoding = “{ $ch }”无法用 { $encoding } 表示（请改用 UTF-8 或 \xNN）
input-error-lone-backslash = 末尾只有一个“\”：反斜杠本身要写成 \\
input-error-short-hex-escape = \x 后面需要两位十六进制数字，例如 \x0a
input-error-unknown-escape = 未知的转义“{ $escape }”（可用的有：\r \n \t \0 \\ \' \" \xNN）
input-error-odd-hex-digits = 十六进制数字的个数是奇数：一个字节要写两位（例如 0a）
input-error-not-hex-digit = “{ $ch }”不是十六进制数字（0-9、a-f）
line-ending-none = 无

## A socket other machines can reach (ui/sockets.rs, ui/stage.rs, ui/system_table.rs)
address-reachable-from-network = 网络上的其他机器能连到

## What the engine could not do, and the notices that say so (engine/registry.rs, ui/mod.rs)
engine-error-no-such-socket = 套接字 { $socket } 不存在（已关闭？）
engine-error-create = socket()：{ $name }：{ $explanation }
engine-error-thread = 无法为这个套接字启动线程：{ $why }
notice-socket-failed = socket() 失败：{ $error }
notice-failed-on-socket = 套接字 { $socket } 上的 { $what }：{ $error }
notice-cancel = 取消
notice-automation = 自动行为
notice-kernel-snapshot = 内核快照

## 脚本和课程文件：文件里哪里写错了（src/script/parse.rs、lex.rs、mod.rs）。调用名、关键字、常量和
## Python 字面量照原样写。

lex-token-name = “{ $name }”
lex-token-number = 数字 { $value }
lex-token-string = 字符串 '{ $text }'
lex-token-bytes = 一个 bytes 字面量
lex-unexpected-character = 这里不该出现字符“{ $char }”
lex-not-a-number = 这不是有效的数字
lex-not-a-valid-number = “{ $digits }”不是有效的数字
lex-number-too-large = 数字 { $digits } 太大了
lex-string-not-closed = 这个字符串缺少结尾的 { $quote }
lex-bytes-not-closed = 这个 bytes 字面量缺少结尾的 { $quote }
lex-hex-escape = \x 后面要跟两位十六进制数字，例如 \x41 或 \xff
lex-hex-escape-short = \x 后面要跟两位十六进制数字
lex-octal-escape-too-large = 八进制转义 \{ $octal } 超过了 \377
lex-unicode-escape = \{ $escape } 后面要跟 { $width } 位十六进制数字，表示一个字符
lex-unknown-escape-string = 字符串里没有 \{ $escape } 这种转义（可用的有：\n \r \t \0 \xNN \\ \' \"）
lex-unknown-escape-bytes = bytes 字面量里没有 \{ $escape } 这种转义（可用的有：\n \r \t \0 \xNN \\ \' \"）
lex-bytes-ascii-only = bytes 字面量里出现了“{ $char }”：bytes 字面量只能放 ASCII 字符；文本请写成 '{ $char }'.encode()，单个字节请写成 \xNN（在 TOML 的 "..." 字符串里要写成 \\xNN，或者改用 TOML 的 '...' 字符串）
parse-text-expected = 这里应该是一个字符串，或者 en 和 zh 两个字符串（say.en = "…" 和 say.zh = "…"）
parse-toml = TOML 格式有误：{ $message }
parse-toml-unknown-field = 有不认识的键：{ $message }（脚本可以有 title、intro、timeout_ms、show、stage、own_network 和 [[step]] 表；每个步骤可以有 say、do、stage 和 key）
parse-timeout-not-positive = timeout_ms 必须是正的毫秒数，不能是 { $value }
parse-no-steps = 这个脚本一个步骤也没有：请加上 [[step]] 表，在里面写 do = [...]
parse-stage-not-a-socket = stage：到这一步为止，脚本里还没有名叫“{ $name }”的套接字（已有的套接字：{ $sockets }）
parse-stage-one-socket = stage：{ $view } 视图只显示一个套接字，应写成“{ $view } NAME”
parse-stage-no-names = stage：{ $view } 视图后面不写套接字名
parse-stage-unknown-view = stage：没有“{ $view }”这种视图（可用的视图：timeline [sockets], kernel SOCKET, received SOCKET, system, python, calls, wire）
parse-kind-socket = 套接字
parse-kind-bytes = 前面的调用收到的数据（bytes）
parse-kind-address = 地址
parse-value-integer = 整数 { $value }
parse-value-number = 数字 { $value }
parse-value-bytes = 一个 bytes 值
parse-value-bool = 布尔值 { $value }
parse-value-none = 空值 None
parse-value-tuple = 一个元组
parse-value-flags = 几个标志的组合
parse-value-call = 函数调用 { $name }(...)
parse-did-you-mean = （是不是想写 { $name }？）
parse-end-of-action = 这条动作的结尾
parse-expected = 这里应该是{ $what }，却是{ $found }
parse-after = { $what } 后面
parse-expected-punct = { $context }应该是“{ $punct }”，却是{ $found }
parse-unexpected-after = { $after }后面多了{ $found }
parse-empty-action = 这条动作是空的
parse-sleep-needs-duration = sleep 后面要写时长，例如 sleep 200ms
parse-after-duration = 时长
parse-after-wire-on-off = “wire on / wire off”
parse-after-expectation = 期望
parse-wire-takes-names = wire() 的参数是一个或两个套接字的名字：wire(client, server)
parse-wire-one-or-two = wire() 只接受一个或两个套接字：wire(client, server) 统计两者之间的报文段，wire(client) 统计发往它或来自它的报文段
parse-system-one-address = system() 只接受一个地址：system(server)、system(addr)、system(('127.0.0.1', 8080))
parse-unlink-path = os.unlink 的参数是套接字文件的路径：os.unlink('/tmp/demo.sock')
parse-unlink-one-path = os.unlink 只接受一个路径
parse-want-socket-name = 套接字名
parse-want-code = “{ $code }”
parse-expected-socket-socket = 这里应该是 socket.socket(...)
parse-call-needs-socket = { $call }() 要在套接字上调用：写成 NAME.{ $call }(...)，例如 server.{ $call }(...)
parse-not-a-call = “{ $name }(...)”不是调用；请写成 SOCKET.CALL(...)，例如 server.listen(5)
parse-after-socket-name = 套接字名“{ $name }”后面
parse-want-call-name = 调用名（比如 recv）
parse-unknown-call = 未知的调用“{ $call }”{ $hint }
parse-no-background = “&”让套接字调用在后台进行；{ $call }() 不会等待，所以前面不加“&”
parse-no-value-to-assign = { $call }() 没有返回值，不能赋给名字
parse-takes-no-arguments = { $call }() 不接受参数
parse-want-name = 名字
parse-name-socket = socket 是创建套接字的函数，请换一个名字
parse-name-constant = “{ $name }”看起来像常量；名字请用小写字母
parse-name-is-call = “{ $name }”是调用的名字，请换一个名字
parse-between-names = 两个名字之间
parse-name-not-socket = “{ $name }”是{ $kind }，不是套接字
parse-create-it-first = （请先创建它：{ $name } = socket(AF_INET, SOCK_STREAM)）
parse-no-such-socket = 没有名叫“{ $name }”的套接字{ $hint }
parse-socket-no-background = socket() 不会等待，前面不加“&”
parse-socket-needs-name = 给新套接字起个名字：server = socket(AF_INET, SOCK_STREAM)
parse-socket-makes-one = socket() 只创建一个套接字：写成 name = socket(...)
parse-socket-no-such-argument = socket() 没有名叫“{ $name }”的参数（只有 family, type, proto）
parse-want-family = 地址族（AF_INET, AF_INET6, AF_UNIX）
parse-want-type = 套接字类型（SOCK_STREAM, SOCK_DGRAM）
parse-only-protocol-0 = 只支持协议号 0（默认值）
parse-socket-too-many-arguments = socket() 最多接受 3 个参数
parse-want-await-name = 套接字名（写在 await 后面）
parse-want-await-call = 调用名
parse-nothing-to-await = 这里没有可以 await 的：“{ $name }”上没有用“&”启动、还没等到结果的调用（先启动它：&{ $name }.{ $call }(...)）
parse-nothing-to-await-call = 这里没有可以 await 的：“{ $name }”上没有用“&”启动、还没等到结果的 { $call }()（先启动它：&{ $name }.{ $call }(...)）
parse-no-value-to-keep = { $call }() 没有可以保存的返回值；只有 accept、recv、recvfrom、getsockname 和 getpeername 的结果可以起名字
parse-gives-values = { $call }() 返回 { $count } 个值：{ $shape }
parse-missing-close-paren = 缺少“)”
parse-expected-comma-or-close = 这里应该是“,”或“)”，却是{ $found }
parse-product-too-large = 乘积太大了
parse-bad-star = “*”只能重复 bytes（b'x' * 100）或者让整数相乘；这里两边是：{ $left }、{ $right }
parse-nested-too-deep = 值嵌套超过了 { $limit } 层
parse-minus-before = “-”只能放在数字前面，这里却是{ $value }
parse-want-value = 一个值
parse-to-close-paren = 要和前面的“(”配对，这里
parse-string-only-encode = 这里的字符串只有 .encode() 方法，没有 .{ $method }()
parse-encode-takes-name = encode 的参数是编码名，例如 'utf-8'
parse-cannot-encode = “{ $char }”无法用 { $encoding } 编码
parse-encoding-not-available = 脚本里不能用“{ $encoding }”编码（请用 'utf-8'、'ascii' 或 'latin-1'，或者直接写成 b'\xNN'）
parse-number-not-constant = { $what }：应该是数字，不是常量 { $name }{ $hint }
parse-number-not = { $what }：应该是数字，不是{ $value }
parse-cannot-be-negative = { $what }：不能是负数
parse-over-byte-limit = { $what } { $value } 超过了 { $limit } 字节的上限
parse-send-takes-bytes = send 要的是 bytes，不是 str：写成 b'{ $text }' 或 '{ $text }'.encode()
parse-name-not-bytes = “{ $name }”是{ $kind }，不是 bytes
parse-nothing-named = 还没有定义“{ $name }”这个名字{ $hint }
parse-want-bytes = 一个 bytes 值（比如 b'hello'）
parse-port-not-number = 端口是 0-65535 之间的数，不能是{ $value }
parse-port-negative = 端口 { $port } 是负数（端口范围是 0-65535）
parse-port-too-large = 端口 { $port } 超过了 65535
parse-host-not-string = 主机要写成字符串，比如 '127.0.0.1'，不能是{ $value }
parse-not-ipv4 = “{ $host }”不是 IPv4 地址：IPv4 地址是用点隔开的四个 0-255 的数
parse-address-tuple = 地址元组要写成 ('host', port)
parse-unix-address-path = AF_UNIX 地址是一个路径，比如 '/tmp/demo.sock'
parse-name-not-address = “{ $name }”是{ $kind }，不是地址
parse-no-such-address = 没有名叫“{ $name }”的套接字或地址{ $hint }
parse-not-an-address = 地址要写成 ('host', port)、路径 '/tmp/x.sock' 或套接字的名字，不能是{ $value }
parse-unknown-flag = 未知的标志 { $name }{ $hint }（可用的有 MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT）
parse-flags-not = 标志只能是 MSG_PEEK | MSG_WAITALL | MSG_DONTWAIT，不能是{ $value }
parse-no-send-flags = send 不支持标志（只能写 0）
parse-want-option = 选项名（比如 SO_REUSEADDR）
parse-unknown-option-known = 未知的选项 { $name }；可用的选项：{ $known }
parse-unknown-option = 未知的选项 { $name }{ $hint }
parse-want-level = 协议层（比如 { $level }）
parse-unknown-level = 未知的协议层 { $level }{ $hint }
parse-wrong-level = { $option } 要在 { $level } 层设置，不是 { $given }
parse-option-takes-integer = { $option } 的值是整数，不能是{ $value }
parse-linger-usage = SO_LINGER 的值要写成 struct.pack('ii', onoff, seconds)，或者 linger(seconds) / linger(None)
parse-linger-negative = linger 时间必须是 0 秒或更长
parse-what-linger-time = linger 时间
parse-inet-aton-string = inet_aton 的参数是地址字符串
parse-want-address-string = 地址字符串
parse-membership-usage = { $option } 的值要写成 membership('group', 'interface')、('group', 'interface') 或 'group'
parse-arguments-without-names = 参数不要写名字：{ $usage }
parse-missing-argument = 缺少参数：{ $usage }
parse-too-many-arguments = 参数太多了：{ $usage }
parse-option-write-only = { $option } 只能设置，不能读取
parse-setblocking-takes = setblocking 的参数是 True 或 False，不能是{ $value }
parse-settimeout-takes = settimeout 的参数是秒数（0.5、2）或 None，不能是{ $value }
parse-timeout-negative = 超时不能是负数（Python 会抛出 ValueError）
parse-timeout-too-large = 这个超时太长了
parse-usage-sendto = sendto(data, address) 或 sendto(data, flags, address)
parse-what-backlog = backlog（监听队列长度）
parse-backlog-too-large = backlog 太大了
parse-want-shutdown = 关闭方式 SHUT_RD、SHUT_WR 或 SHUT_RDWR
parse-responder-not-name = 应答方式要写名字，不能是{ $value }
parse-unknown-responder = 未知的应答方式“{ $name }”{ $hint }；可用的应答方式：{ $responders }
parse-auto-usage = auto() 的参数可以是 accept、receive、respond='echo'、flood=BYTES_PER_SEC、to=ADDRESS、chunk=N、total=N、bufsize=N 或 off
parse-unknown-automation = 未知的自动行为“{ $name }”{ $hint }（可用的有 accept、receive、respond='NAME'、flood=N、off）
parse-what-flood = flood（每秒字节数，0 表示尽可能快）
parse-auto-no-option = auto() 没有“{ $name }”这个选项{ $hint }
parse-flood-options = to=、chunk= 和 total= 要和 flood=BYTES_PER_SEC 一起用
parse-what-duration = 时长
parse-unknown-time-unit = 未知的时间单位“{ $unit }”（可用的有 us、ms、s、min）
parse-add-time-unit = 数字后面要加时间单位：200ms、1.5s、2min
parse-duration-too-long = 这个时长太长了
parse-expectations-follow-arrow = （期望要写在“=>”后面，例如 => 5）
parse-unexpected-after-call = 调用后面多了{ $found }{ $hint }
parse-no-result-to-check = cancel() 和 auto() 没有结果可以检查
parse-unlink-check = os.unlink() 的结果只能用 ok、None 或 errno 名（ENOENT）来检查
parse-expected-expectation = “=>”或“,”后面应该写期望
parse-between-expectations = 两个期望之间
parse-want-field = 字段名（比如 { $field }）
parse-no-such-field = { $call }() 没有“{ $field }”这个字段{ $hint }；可用的字段：{ $fields }
parse-expected-count-comparison = 这里应该是比较：{ $field } == 1
parse-expected-count = 这里应该是个数：{ $field } == 1
parse-expected-comparison = { $field } 后面应该是比较：{ $field } == VALUE
parse-expected-number-or-name = 这里应该是数字，或者 ESTABLISHED 这样的名字
parse-names-compare = 名字只能用 == 和 != 比较
parse-expected-duration = 这里应该是时长：blocks >= 200ms
parse-addresses-compare = 地址只能用 == 和 != 比较
parse-expected-ephemeral = 这里应该是 'ephemeral'（port in ephemeral：内核自己挑选端口的范围，见 /proc/sys/net/ipv4/ip_local_port_range）
parse-hosts-compare = 主机只能用 == 和 != 比较
parse-expected-host-string = 主机要写成字符串：host == '127.0.0.1'
parse-not-an-ip = “{ $host }”不是 IP 地址（host == '127.0.0.1'、'::1'）
parse-unknown-expectation-field = 未知的字段“{ $field }”（调用之后可以用：value, len, blocks, from, peer, port, host；kernel() 之后可以用：{ $fields }）
parse-unknown-errno = 未知的 errno 名 { $name }{ $hint }
parse-unknown-expectation = 未知的期望“{ $word }”{ $hint }；期望可以是：数字、b'bytes'、errno 名（ECONNREFUSED）、ok、None、timeout、cancelled、eof、truncated、blocks >= 100ms、from == ADDRESS，或者一个地址
parse-unknown-expectation-for-call = { $call }() 没有“{ $word }”这种期望{ $hint }；期望可以是：数字、b'bytes'、errno 名（ECONNREFUSED）、ok、None、timeout、cancelled、eof、truncated、blocks >= 100ms、from == ADDRESS，或者一个地址
parse-not-an-expectation = 期望里不能写{ $value }
parse-returns-no-bytes = { $call }() 不返回数据；b'...' 和 eof 只用于 recv 和 recvfrom
parse-cannot-be-truncated = { $call }() 不会被截断
parse-from-is-for-recvfrom = from == ... 只用于 recvfrom，不能用于 { $call }()
parse-returns-no-address = { $call }() 不返回地址；地址只能在 accept、getsockname 和 getpeername 之后检查
parse-bytes-over-limit = { $total } 字节超过了 { $limit } 字节的上限
script-file-cannot-read = 无法读取：{ $error }
script-file-invalid-utf8 = 不是有效的 UTF-8（字节 { $byte }）；请把文件存成 UTF-8 编码

## An address typed in one field (engine/command.rs)
address-unix-is-path = Unix 域套接字的地址是一个路径，例如 /tmp/demo.sock
address-missing-bracket = “{ $text }”：IPv6 地址后面缺少“]”
address-expected-port-after-bracket = “{ $text }”：“]”后面应该是“:端口”
address-expected-host-port = “{ $text }”：应该写成 主机:端口（IPv6 地址写成 [::1]:端口）

## 只有一种语言的课程文件（ui/presenting.rs）
script-other-language = （这个文件只用一种语言写成：按原文显示）
script-other-language-tip = 这个文件没有所选语言的文字，只能按它原来的语言显示。课程文件可以同时写两种语言：title.en 和 title.zh，say.en 和 say.zh。

## Workspaces
workspace-table-malformed = 无法读取 [workspace] 表：{ $message }

## Framing
## 把收到的字节流拆分成一条条消息（messages/framing.rs）
framing-rule-line = 按行拆分（每行以 \n 或 \r\n 结尾）
framing-rule-delimiter = 按分隔符 { $delimiter } 拆分
framing-rule-fixed = 定长，每条 { $size } 字节
framing-rule-prefix = 长度前缀，{ $width } 字节{ $order ->
        [big] ，大端
        [little] ，小端
       *[none] {""}
    }{ $itself ->
        [yes] ，长度包含前缀本身
       *[no] {""}
    }
framing-line-too-long = 这一行超过了 { $cap } 字节的上限：跳过它，从下一个换行之后接着拆分
framing-delimited-too-long = 超过 { $cap } 字节还没有遇到分隔符：跳过它，从下一个分隔符之后接着拆分
framing-length-over-cap = 长度前缀写的是 { $length } 字节，超过了 { $cap } 字节的上限：已停止拆分消息（长度一旦出错，就再也找不回消息的边界了）
framing-length-shorter-than-prefix = 长度前缀写的是 { $length } 字节，比它所包含的 { $width } 字节前缀本身还短：已停止拆分消息（长度一旦出错，就再也找不回消息的边界了）
framing-message = 一条消息，{ $size } 字节{ $chunks ->
        [1] {""}
       *[other] ，分 { $chunks } 次 recv 才收齐
    }
framing-skipped = 跳过了 { $size } 字节（没有拆分成消息）
framing-incomplete = 数据流在一条消息的中间结束了：剩下 { $size } 字节不完整
framing-error-empty-delimiter = 分隔符不能为空：至少输入一个字节，例如 \r\n 或 |
framing-error-delimiter-too-long = 分隔符有 { $size } 字节长，最多 { $max } 字节
framing-error-fixed-size-zero = 定长至少是 1 字节
framing-error-fixed-size-over-cap = 定长 { $size } 字节超过了 { $cap } 字节的上限
framing-error-payload-too-long = { $width } 字节的长度前缀在这里最多只能表示 { $max } 字节的消息，这条消息有 { $size } 字节
workspace-entry-malformed = 无法读取 { $entry }：{ $message }

## Saved messages: templates and checksums
template-unclosed = { "${" } 没有结束：占位符要以 { "}" } 结尾（在文本里，字面的 { "${" } 要写成 \x24{ "{" }）
template-unknown-placeholder = 未知的占位符 { $placeholder }（可用的有：{ $known }）
template-counter-form = { $placeholder }：未知的计数器格式“{ $argument }”（不写格式时按十进制写出；二进制格式有：{ $forms }）
template-byte-order = { $placeholder }：未知的字节序“{ $argument }”（be：高字节在前，le：低字节在前；不写时为 { $default }）
template-random-missing = { $placeholder } 要写明字节数（1 到 { $max }），例如 { "${" }random:4{ "}" }
template-random-count = { $placeholder }：随机字节数必须在 1 到 { $max } 之间，不能是“{ $argument }”
template-no-argument = { $placeholder } 不带参数
template-time-format = { $placeholder }：“{ $format }”不是有效的时间格式（例如 %H:%M:%S 或 %Y-%m-%d；字面的 % 要写成 %%）
template-no-local-address = { $placeholder }：这个套接字还没有自己的地址（请先 bind 或 connect）
template-no-peer-address = { $placeholder }：这个套接字没有对端（请先 connect）
template-not-in-encoding = { $placeholder }：“{ $text }”中的“{ $ch }”无法用 { $encoding } 表示
template-time-failed = { $placeholder }：无法按这个格式写出时间
trust-other-host = 连接或发送到 { $host }，这是另一台机器
trust-all-interfaces = 绑定 { $host }：网络上的其他机器也能连进来
trust-file-outside = 使用文件 { $path }，它不在这个文件所在的文件夹里
trust-multicast = 加入组播组 { $group }
trust-flood = 洪水发送：套接字能收多少就发多少
trust-line = 第 { $line } 行：{ $what } — { $action }
trust-refused = { $file } 会做下面列出的事，超出了本机回环地址和它自己的文件夹。它没有运行。如果你清楚它要做什么，可以加上 --trust 再运行。

## Importing Packet Sender's packets
## 把 Packet Sender 的 packets.ini 和 JSON 导出文件导入为已存消息（messages/packet_sender.rs）
import-summary = 导入了 { $imported } 个数据包{ $skipped ->
        [0] {""}
       *[other] ，跳过了 { $skipped } 个
    }
import-skipped = { $name }：{ $reason }
import-skip-not-stored = 名称列表里有它，但文件里没有这个名称下的任何数据
import-skip-not-a-packet = 列表里的这一项不是数据包（数据包是一个含有 name、hexstring、toip、port、tcporudp 的对象）
import-skip-bad-hex = 它的十六进制数据无法读取：{ $problem }
import-skip-kind = 它的类型是 { $kind }；只能导入 TCP 和 UDP 数据包
import-skip-no-kind = 它没有写明是 TCP 还是 UDP
import-skip-no-port = 它有地址，但没有端口
import-skip-bad-port = 它的端口“{ $port }”不是 1 到 65535 之间的数
import-skip-bad-address = 它的地址“{ $address }”不是主机名，也不是 IP 地址
import-skip-repeat-not-a-number = 它的重发间隔“{ $value }”不是以秒为单位的数
import-skip-repeat-too-long = 它的重发间隔 { $value } 秒超过了一天（{ $max } 秒）
import-error-too-large = 文件有 { $bytes } 字节；最多只读取 { $max } 字节（16 MiB）
import-error-too-many = 文件里的数据包超过了 { $max } 个
import-error-empty = 文件是空的
import-error-json-syntax = 这里不是有效的 JSON（{ $detail }）
import-error-json-ends = JSON 还没写完文件就结束了：有括号或引号没有闭合
import-error-json-not-a-list = Packet Sender 导出的文件是写在方括号 [ ] 里的数据包列表；这个文件里是别的内容
import-error-ini-no-list = 没有数据包列表：Packet Sender 的 packets.ini 里应有一个 [NAMES] 段，其中有一行 size=…
import-error-ini-bad-size = 数据包个数 size=“{ $value }”不是数字
import-error-ini-section-not-closed = 这个段名缺少右方括号 ]
import-error-ini-no-equals = 这一行既不是 [段名]，也不是 键=值
import-error-ini-quote-not-closed = 这个引号一直没有闭合
trust-binds-network = 绑定 { $host }，这是网络上的地址，不是回环地址
workspace-menu = 工作区
workspace-menu-tip = 把这套设置保存到文件，以后再打开：套接字和它们的设置、发送框、保存的消息和回复规则
workspace-open = 打开工作区…
workspace-save = 保存工作区
workspace-save-tip = 把工作区再写入 { $file }
workspace-save-as = 工作区另存为…
workspace-save-as-tip = 把工作区写入你选择的文件
workspace-restore-last = 启动时打开上次的工作区
workspace-restore-last-tip = 窗口打开时，重建上次关闭时的那些套接字
workspace-open-title = 打开工作区
workspace-save-title = 保存工作区
workspace-file = 文件：
workspace-browse = 浏览…
workspace-browse-tip = 用桌面的文件对话框选择文件
workspace-browsing = 文件对话框已经打开（如果没有出现，请直接输入路径）。
workspace-open-button = 打开
workspace-save-button = 保存
workspace-cancel = 取消
workspace-no-file = 请输入文件路径，或者点“浏览…”选择。
workspace-save-failed = 无法写入 { $file }：{ $error }
workspace-saved = 已保存到 { $file }。
workspace-newer-version = 这个文件是更新版本的 Socket Workbench 写的（工作区版本 { $version }）：本版本认识的部分已经恢复。
workspace-unknown-keys = 本版本不认识的键没有使用：{ $keys }
workspace-composer-no-socket = { $name } 的发送框找不到同名的套接字。
workspace-composer-unreadable = 无法读取 { $name } 的发送框：{ $error }
workspace-setup-failed = { $name }：{ $call } -> { $result }
workspace-restored-partly = 有些没能重建：
workspace-dismiss = 知道了
consent-title = 这个文件会访问本机以外的地方
consent-intro = { $file } 不是这个工作台写的（或者之后被改过）。运行之前，先看看它会做哪些超出本机回环地址和它自己文件夹的事：
consent-question = 要运行吗？
consent-run = 运行
consent-do-not-run = 不运行
view-messages = 保存的消息
view-messages-tip = 随工作区保存的命名消息：点一下就从选中的套接字发出去（Ctrl+1 … Ctrl+9 对应前九条）；也可以在这里导入 Packet Sender 的数据包
messages-none = 没有这条保存的消息
messages-not-sent = { $name } 没有发送：{ $error }
messages-strip = 已保存：
messages-preview = { $size } 字节：{ $bytes }
messages-new = 新建消息
messages-new-name = 消息 { $number }
messages-send-to = 发送到 { $name }
messages-select-a-socket = 先选一个套接字来发送
messages-copy-name = { $name }（副本）
messages-name = 名称：
messages-send = 发送
messages-send-tip = 从选中的套接字发送，用下面选的调用（占位符在发送时填入）
messages-up = 上移
messages-down = 下移
messages-duplicate = 复制
messages-delete = 删除
messages-body = 内容：
messages-body-tip = 带转义的文本（\n、\xNN）或十六进制数字；占位符：${"{"}counter{"}"}、${"{"}time:%H:%M:%S{"}"}、${"{"}random:4{"}"}、${"{"}local{"}"}、${"{"}peer{"}"}，以及 ${"{"}crc16_modbus{"}"} 这样的校验和（算的是它前面的字节）
messages-destination = 发往：
messages-destination-tip = sendto 的目的地址（127.0.0.1:9000）；留空则用发送框里的
messages-file = 导入或导出的文件：
messages-import = 导入
messages-import-tip = 加入一个文件里的消息：这里导出的文件，或者 Packet Sender 的 packets.ini 和 JSON 导出文件
messages-export = 导出
messages-imported = 从 { $file } 导入了 { $count } 条消息。
messages-exported = 已把 { $count } 条消息写入 { $file }。
messages-export-failed = 无法写入 { $file }：{ $error }

## Reply rules
rules-responder = 按规则回复
rules-rule-label = 规则 { $rule }
rules-error-pattern = 规则 { $rule }：匹配内容写错了：{ $problem }
rules-error-regex = 规则 { $rule }：正则表达式无法编译：{ $message }
rules-error-no-message = 规则 { $rule }：要用“{ $name }”回复，但没有叫这个名字的已存消息
rules-error-reply = 规则 { $rule }：回复用的消息“{ $name }”无法使用：{ $problem }
rules-error-answer = 规则 { $rule } 匹配上了，但回复用的消息“{ $name }”生成失败：{ $problem }
rules-script-none = respond='rules' 按文件里的回复规则应答，但这个文件没有回复规则：请添加 [[workspace.rule]] 表（match、pattern、format、reply），以及它们回复用的 [[workspace.message]] 表
rules-script-unusable = respond='rules'：文件里的回复规则无法使用：{ $error }
rules-none-yet = 还没有回复规则（在“保存的消息”视图里添加）
rules-heading = 回复规则
rules-new = 新建规则
rules-apply = 应用
rules-apply-tip = 按规则回复的套接字改用现在这些规则
rules-pattern = 模式：
rules-reply = 回复：
rules-match-exact = 完全等于
rules-match-prefix = 开头是
rules-match-contains = 包含
rules-match-regex = 匹配正则表达式
workspace-unknown-view = 本版本没有“{ $name }”这个视图。
script-file-too-large = { $size } 字节，作为脚本或工作区文件太大了（最多 { $max }）：没有读取
workspace-new = 新建工作区
workspace-new-tip = 关闭所有套接字，从没有保存消息和规则的状态开始

## Received view: the stream split into messages (ui/framing_view.rs)
received-framing = 拆分消息：
received-framing-tip = 按规则把这个套接字的字节流拆分成一条条消息，和每次 recv 收到的数据块并排显示：一次 recv 收到的三次发送是三条消息（黏包），分两次 recv 才收齐的一条消息仍是一条
received-framing-none = 不拆分
received-framing-line = 按行
received-framing-delimiter = 分隔符
received-framing-fixed = 定长
received-framing-prefix = 长度前缀
received-framing-delimiter-field = 分隔符：
received-framing-delimiter-hint = \r\n 或 |
received-framing-delimiter-tip = 每条消息结尾的字节，写成可带转义（\r \n \t \xNN）的文本，按视图所选的编码转换
received-framing-size-field = 每条字节数：
received-framing-size-bad = “{ $text }”不是整数字节数
received-framing-unusable = 无法拆分消息：{ $error }
received-framing-prefix-width = 前缀：
received-framing-prefix-bytes = { $count } 字节
received-framing-prefix-order = 字节序：
received-framing-prefix-big = 大端
received-framing-prefix-little = 小端
received-framing-prefix-itself = 长度包含前缀本身
received-framing-prefix-itself-tip = 长度值既算消息内容的字节，也算前缀自己的字节
received-framing-count = { $count } 条消息 · { $rule }
received-framing-earlier = · 更早的 { $count } 条没有显示
received-framing-restart = 从下一个数据块重新拆分
received-framing-restart-tip = 长度出错以后，消息边界无法自行找回：从下一个 recv 数据块重新开始，把它当作一条消息的开头
received-framing-none-yet = 还没有完整的消息。
received-framing-chunks = 每次 recv 收到的数据块（原样）
received-framing-at = 始于 #{ $chunk }{ $offset ->
        [0] {""}
       *[other] {" "}+ { $offset }
    }
received-framing-shown-first = 只显示前 { $count } 字节
received-framing-gap = 有 { $count } 个 recv 数据块还没拆分就被丢弃了（内存上限或“清除”）：从这里起无法准确跟上消息边界；从 #{ $next } 重新开始拆分
received-framing-sampled = #{ $chunk }：自动接收在这里只保留了 { $calls } 次 recv（{ $bytes }）的样本：从这里起无法准确跟上消息边界；在它之后重新开始拆分
received-framing-unfinished = ；一条未收完的消息的 { $size } 字节也随之丢失
received-framing-restarted = 从 #{ $chunk } 重新开始拆分

## Composer: a length prefix before the payload; a repeat of a saved message
composer-prefix = 加上长度前缀
composer-prefix-tip = 在数据前面写上它的长度（在加上行尾之后计算），和接收视图按长度前缀拆分消息时读取的方式一致
composer-repeat-saved-source = 发送
composer-repeat-saved-own = 本发送框的内容
composer-repeat-saved-message = 保存的消息 { $name }
composer-repeat-saved-tip = 重复发送本发送框的内容，或一条保存的消息：按消息自己设定的方式发送（send、sendall 或 sendto），每次发送时重新填入占位符，所以 ${"{"}counter{"}"} 会递增
composer-repeat-saved-gone = 没有（或已不再有）名为“{ $name }”的保存消息
workspace-received-unreadable = 无法读取 { $name } 接收数据的显示方式：{ $error }
parse-script-bytes-over-limit = 这个脚本所有动作的数据加起来，超过了 { $limit } 字节的上限
parse-integer-too-large = 这个数太大了
