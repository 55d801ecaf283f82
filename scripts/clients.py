#!/usr/bin/env python3
"""Connects CLIENTS clients to HOST:PORT, each sends a line and reads its echo; then the
first LEAVE of them close, and the rest stay until the process is killed. For the
screenshot of a server holding many connections (scripts/screenshots.sh)."""
import socket, sys, time

host, port, clients, leave = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
time.sleep(1.5)
held = []
for n in range(clients):
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(f"hello {n}\n".encode())
    s.recv(64)
    held.append(s)
for s in held[:leave]:
    s.close()
time.sleep(3600)
