import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.settimeout(3.0)
out = open(sys.argv[2], "wb")
n = 0
print("ready", flush=True)
try:
    while True:
        d = s.recv(65536)
        out.write(struct.pack(">H", len(d)) + d); n += 1
except socket.timeout:
    pass
out.close(); print(n, "packets")
