# One-off: turns an ffmpeg-made single-track HEVC mp4 into an enhanced FLV (E-RTMP v1 ExVideoTagHeader),
# because the local ffmpeg 5.1 cannot mux HEVC into FLV. Written independently of the Java code under test.
import struct, sys

def boxes(data, start, end):
    i = start
    while i < end:
        size, typ = struct.unpack('>I4s', data[i:i+8])
        yield typ.decode('latin1'), i + 8, i + size
        i += size

def find(data, start, end, path):
    for typ, s, e in boxes(data, start, end):
        if typ == path[0]:
            return (s, e) if len(path) == 1 else find(data, s, e, path[1:])
    return None

data = open(sys.argv[1], 'rb').read()
moov = find(data, 0, len(data), ['moov'])
trak = find(data, *moov, ['trak'])
mdhd = find(data, *trak, ['mdia', 'mdhd'])
timescale = struct.unpack('>I', data[mdhd[0]+12:mdhd[0]+16])[0]
stbl = find(data, *trak, ['mdia', 'minf', 'stbl'])
stsd = find(data, *stbl, ['stsd'])
entry = stsd[0] + 8
hvc1_s, hvc1_e = entry + 8, entry + struct.unpack('>I', data[entry:entry+4])[0]
hvcc = find(data, hvc1_s + 78, hvc1_e, ['hvcC'])
hvcc_bytes = data[hvcc[0]:hvcc[1]]

def full(name):
    r = find(data, *stbl, [name])
    return None if r is None else (r[0] + 4, r[1])

s, e = full('stsz'); _, count = struct.unpack('>II', data[s:s+8]); sizes = struct.unpack('>%dI' % count, data[s+8:s+8+4*count])
s, e = full('stco'); n = struct.unpack('>I', data[s:s+4])[0]; chunk_offsets = struct.unpack('>%dI' % n, data[s+4:s+4+4*n])
s, e = full('stsc'); n = struct.unpack('>I', data[s:s+4])[0]; stsc = [struct.unpack('>III', data[s+4+12*k:s+16+12*k]) for k in range(n)]
s, e = full('stts'); n = struct.unpack('>I', data[s:s+4])[0]; stts = [struct.unpack('>II', data[s+4+8*k:s+12+8*k]) for k in range(n)]
ctts_box = full('ctts')
ctts = []
if ctts_box:
    s, e = ctts_box; n = struct.unpack('>I', data[s:s+4])[0]; ctts = [struct.unpack('>Ii', data[s+4+8*k:s+12+8*k]) for k in range(n)]
s, e = full('stss'); n = struct.unpack('>I', data[s:s+4])[0]; sync = set(struct.unpack('>%dI' % n, data[s+4:s+4+4*n]))

offsets = []
for ci, off in enumerate(chunk_offsets):
    per = [r for r in stsc if r[0] <= ci + 1][-1][1]
    for _ in range(per):
        if len(offsets) < count:
            offsets.append(off); off += sizes[len(offsets) - 1]
dts = []; t = 0
for c, d in stts:
    for _ in range(c): dts.append(t); t += d
cts = []
for c, o in ctts:
    cts += [o] * c
cts += [0] * (count - len(cts))

def tag(out, typ, ts, body):
    out += struct.pack('>B', typ) + struct.pack('>I', len(body))[1:] + struct.pack('>I', ts & 0xFFFFFF)[1:] + bytes([(ts >> 24) & 0xFF]) + b'\0\0\0'
    out += body
    out += struct.pack('>I', 11 + len(body))

out = bytearray(b'FLV\x01\x01' + struct.pack('>I', 9) + b'\0\0\0\0')
tag(out, 9, 0, bytes([0x80 | 0x10 | 0]) + b'hvc1' + hvcc_bytes)
for k in range(count):
    ms = dts[k] * 1000 // timescale
    ct = (dts[k] + cts[k]) * 1000 // timescale - ms
    ft = 1 if (k + 1) in sync else 2
    sample = data[offsets[k]:offsets[k] + sizes[k]]
    if ct == 0:
        body = bytes([0x80 | ft << 4 | 3]) + b'hvc1' + sample
    else:
        body = bytes([0x80 | ft << 4 | 1]) + b'hvc1' + struct.pack('>i', ct)[1:] + sample
    tag(out, 9, ms, body)
tag(out, 9, dts[-1] * 1000 // timescale, bytes([0x80 | 0x10 | 2]) + b'hvc1')
open(sys.argv[2], 'wb').write(out)
open(sys.argv[3], 'wb').write(hvcc_bytes)
print('samples', count, 'timescale', timescale, 'hvcC', len(hvcc_bytes), 'cts', sorted(set(cts))[:5])
