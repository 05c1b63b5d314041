# SPDX-License-Identifier: GPL-2.0-or-later
# tests/net/vhost_fe.py: vhost-user front ends for the tests (76, 79),
# written against the spec: message helpers, and a front end (FrontEnd)
# with real shared memory (a memfd) and real split rings, which moves
# test frames (plug's: payload byte i is (seq + i) & 0xff) both ways.
# Run as a program (vhost_fe.py SOCK MODE DIR) it plays test 79's front
# ends: MODE stall, reconnect or reset (see their functions); it prints
# what it does and waits for DIR/NAME.go before each step the test drives.
# MODE offload (test 90) plays three front ends at once, two of them with
# offloads (checksum, TSO), and checks what the switch made of the GSO
# frames and partial checksums one sends: segments with good checksums
# for the one without, the frame as it was for the other.
#
# Memory (64 KiB, guest address 0, our "user address" UA): queue 0's rings
# at 0x0000/0x0400/0x0800 (descriptors, avail, used), queue 1's at
# 0x1000/0x1400/0x1800; receive buffers from 0x2000, transmit from 0x8000,
# BUF bytes each.  The rings use NUM entries.
import mmap
import os
import socket
import struct
import sys
import time

UA = 0x10000000
MEM = 0x10000
NUM = 16
BUF = 1536
HDR = 12			# virtio_net_hdr with num_buffers
RXB, TXB = 0x2000, 0x8000
F_MRG, F_PROTO, F_V1 = 15, 30, 32
# VIRTIO_NET_F_CSUM, GUEST_CSUM, GUEST_TSO4, GUEST_TSO6, HOST_TSO4, HOST_TSO6
OFFLOADS = (1 << 0) | (1 << 1) | (1 << 7) | (1 << 8) | (1 << 11) | (1 << 12)
PF_REPLY_ACK, PF_RESET_DEVICE = 3, 13
NEED_REPLY = 8
GET_FEATURES, SET_FEATURES, SET_OWNER, RESET_OWNER = 1, 2, 3, 4
SET_MEM_TABLE, SET_VRING_NUM, SET_VRING_ADDR, SET_VRING_BASE = 5, 8, 9, 10
GET_VRING_BASE, SET_VRING_KICK, SET_VRING_CALL = 11, 12, 13
GET_PROTOCOL_FEATURES, SET_PROTOCOL_FEATURES, GET_QUEUE_NUM = 15, 16, 17
SET_VRING_ENABLE = 18
RESET_DEVICE = 34


def hdr(req, size):
    """A message header: request, version 1, payload size."""
    return struct.pack("<III", req, 1, size)


def closed(s, secs=10):
    """Wait for the switch to close its end of @s (it ends a bad front
    end's port); exit with a message if it does not."""
    s.settimeout(secs)
    try:
        while s.recv(4096):
            pass
    except ConnectionResetError:
        pass
    except socket.timeout:
        sys.exit("the switch did not close a bad front end's connection")
    s.close()


def recv_exact(s, n):
    b = b""
    while len(b) < n:
        got = s.recv(n - len(b))
        if not got:
            sys.exit("the switch closed the connection")
        b += got
    return b


def test_frame(seq, length=60, etype=0x88b7, src=b"\x02\x00\x00\x00\x79\x01"):
    """A plug test frame: broadcast, from @src, type @etype."""
    pl = bytes((seq + i) & 0xff for i in range(length - 14))
    return b"\xff" * 6 + src + struct.pack(">H", etype) + pl


def frame_ok(f, etype=0x88b5):
    if len(f) < 15 or struct.unpack(">H", f[12:14])[0] != etype:
        return False
    seq = f[14]
    return all(f[14 + i] == (seq + i) & 0xff for i in range(len(f) - 14))


class FrontEnd:
    """One connection to a vhost-user back end, set up as a net device."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(10)
        self.s.connect(path)
        self.mem = None

    def send(self, req, payload=b"", fds=()):
        msg = hdr(req, len(payload)) + payload
        if fds:
            socket.send_fds(self.s, [msg], list(fds))
        else:
            self.s.sendall(msg)

    def reply(self, req):
        r, flags, size = struct.unpack("<III", recv_exact(self.s, 12))
        if r != req or not flags & 4:
            sys.exit("reply %u (flags 0x%x) to request %u" % (r, flags, req))
        return recv_exact(self.s, size)

    def get64(self, req):
        self.send(req)
        return struct.unpack("<Q", self.reply(req))[0]

    def setup(self, rx_bufs=NUM, offload=False, ack=False):
        """Negotiate (with the offloads if @offload), share fresh memory,
        start both rings and give the back end @rx_bufs receive
        buffers."""
        feat = self.features = self.get64(GET_FEATURES)
        want = (1 << F_V1) | (1 << F_MRG) | (1 << F_PROTO)
        if offload:
            want |= OFFLOADS
        if feat & want != want:
            sys.exit("features 0x%x lack 0x%x" % (feat, want & ~feat))
        self.send(SET_FEATURES, struct.pack("<Q", want))
        self.pfeat = self.get64(GET_PROTOCOL_FEATURES)
        pf = self.pfeat & ((1 << PF_RESET_DEVICE) |
                           ((1 << PF_REPLY_ACK) if ack else 0))
        if ack and not pf & (1 << PF_REPLY_ACK):
            sys.exit("REPLY_ACK not offered: 0x%x" % self.pfeat)
        self.send(SET_PROTOCOL_FEATURES, struct.pack("<Q", pf))
        self.send(SET_OWNER)
        fd = os.memfd_create("vhost-fe")
        os.ftruncate(fd, MEM)
        if self.mem:
            self.mem.close()
        self.mem = mmap.mmap(fd, MEM)
        self.send(SET_MEM_TABLE, struct.pack("<II4Q", 1, 0, 0, MEM, UA, 0),
                  [fd])
        os.close(fd)
        for fd in getattr(self, "kick", []) + getattr(self, "call", []):
            os.close(fd)
        self.kick, self.call = [], []
        for q in (0, 1):
            base = q * 0x1000
            self.send(SET_VRING_NUM, struct.pack("<II", q, NUM))
            self.send(SET_VRING_ADDR, struct.pack("<II4Q", q, 0, UA + base,
                      UA + base + 0x800, UA + base + 0x400, 0))
            self.send(SET_VRING_BASE, struct.pack("<II", q, 0))
            self.kick.append(os.eventfd(0, os.EFD_NONBLOCK))
            self.call.append(os.eventfd(0, os.EFD_NONBLOCK))
            self.send(SET_VRING_CALL, struct.pack("<Q", q), [self.call[q]])
            self.send(SET_VRING_KICK, struct.pack("<Q", q), [self.kick[q]])
            self.send(SET_VRING_ENABLE, struct.pack("<II", q, 1))
        self.avail = [0, 0]	# our avail->idx per queue
        self.used = [0, 0]	# used entries seen
        self.post_rx(rx_bufs)

    def _u16(self, off):
        return struct.unpack_from("<H", self.mem, off)[0]

    def _desc(self, q, i, addr, length, flags):
        struct.pack_into("<QIHH", self.mem, q * 0x1000 + 16 * i, addr,
                         length, flags, 0)

    def _avail(self, q, head):
        a = q * 0x1000 + 0x400
        struct.pack_into("<H", self.mem, a + 4 + 2 * (self.avail[q] % NUM),
                         head)
        self.avail[q] = (self.avail[q] + 1) & 0xffff
        struct.pack_into("<H", self.mem, a + 2, self.avail[q])

    def post_rx(self, n):
        """Give the back end @n more receive buffers (one per free
        descriptor: buffer i is descriptor i) and kick it."""
        for _ in range(n):
            i = self.avail[0] % NUM
            self._desc(0, i, RXB + BUF * i, BUF, 2)	# device-writable
            self._avail(0, i)
        if n:
            os.eventfd_write(self.kick[0], 1)

    def rx(self):
        """The frames the back end put in receive buffers since last."""
        out = []
        u = 0x800
        while self.used[0] != self._u16(u + 2):
            e = u + 4 + 8 * (self.used[0] % NUM)
            head, length = struct.unpack_from("<II", self.mem, e)
            if head >= NUM or length < HDR or length > BUF:
                sys.exit("used entry %u: id %u len %u" % (self.used[0],
                         head, length))
            b = RXB + BUF * head
            out.append(bytes(self.mem[b + HDR:b + length]))
            self.used[0] = (self.used[0] + 1) & 0xffff
        return out

    def rx_merged(self):
        """The frames since last, each with its header, from as many
        buffers as its num_buffers says (MRG_RXBUF); the buffers are
        given back."""
        out = []
        u = 0x800
        while self.used[0] != self._u16(u + 2):
            e = u + 4 + 8 * (self.used[0] % NUM)
            head, length = struct.unpack_from("<II", self.mem, e)
            if head >= NUM or length > BUF:
                sys.exit("used entry %u: id %u len %u" % (self.used[0],
                         head, length))
            b = bytes(self.mem[RXB + BUF * head:RXB + BUF * head + length])
            self.used[0] = (self.used[0] + 1) & 0xffff
            self.post_rx(1)
            if self.pending is None:
                nbuf = struct.unpack_from("<H", b, 10)[0]
                self.pending, self.left = b, nbuf - 1
            else:
                self.pending += b
                self.left -= 1
            if self.left <= 0:
                out.append(self.pending)
                self.pending = None
        return out

    def tx(self, frame, vnet=None):
        """Send @frame (with virtio-net header @vnet, 12 bytes; default
        all zero): one descriptor, at the buffer of its ring slot (a
        frame longer than BUF may use the slots after it: send it
        alone)."""
        i = self.avail[1] % NUM
        b = TXB + BUF * i if len(frame) <= BUF - HDR else TXB
        if b + HDR + len(frame) > MEM:
            sys.exit("a %u-byte frame does not fit" % len(frame))
        self.mem[b:b + HDR] = vnet if vnet else bytes(HDR)
        self.mem[b + HDR:b + HDR + len(frame)] = frame
        self._desc(1, i, b, HDR + len(frame), 0)
        self._avail(1, i)
        os.eventfd_write(self.kick[1], 1)

    def tx_done(self, secs=10):
        """Wait until the back end used every transmit buffer."""
        end = time.time() + secs
        while self._u16(0x1800 + 2) != self.avail[1]:
            if time.time() > end:
                sys.exit("the switch did not take the frames sent")
            time.sleep(0.01)

    def wait_rx(self, n, secs=10, length=None):
        """Wait for @n good test frames (type 0x88b5, @length bytes if
        given), giving each buffer used back; return them."""
        got, end = [], time.time() + secs
        while len(got) < n and time.time() < end:
            new = self.rx()
            self.post_rx(len(new))
            got += [f for f in new if frame_ok(f) and
                    (length is None or len(f) == length)]
            time.sleep(0.01)
        return got

    def vring_base(self, q):
        self.send(GET_VRING_BASE, struct.pack("<II", q, 0))
        rq, base = struct.unpack("<II", self.reply(GET_VRING_BASE))
        if rq != q:
            sys.exit("GET_VRING_BASE %u: reply for queue %u" % (q, rq))
        return base

    def close(self):
        self.s.close()
        for fd in self.kick + self.call:
            os.close(fd)
        self.kick, self.call = [], []


def go(d, name, secs=30):
    """Say we wait for step @name and wait for the test's d/name.go."""
    print("wait", name, flush=True)
    end = time.time() + secs
    while not os.path.exists(os.path.join(d, name + ".go")):
        if time.time() > end:
            sys.exit("no %s.go in %u s" % (name, secs))
        time.sleep(0.02)


def exchange(fe, d, tag):
    """@fe up: 3 test frames from the test's plug, 3 to it."""
    go(d, "rx." + tag)
    got = fe.wait_rx(3)
    if len(got) < 3:
        sys.exit("%s: %u of 3 frames came" % (tag, len(got)))
    for i in range(3):
        fe.tx(test_frame(i))
    fe.tx_done()


def mode_stall(path, d):
    """2 receive buffers, never refilled until DIR/refill.go; then frames
    of 100 bytes (sent after the refill) must come."""
    fe = FrontEnd(path)
    fe.setup(rx_bufs=2)
    print("ready", flush=True)
    go(d, "refill", 60)
    print("before", len(fe.rx()), flush=True)
    fe.post_rx(NUM - 2)
    print("refilled", flush=True)
    got = fe.wait_rx(5, length=100)
    if len(got) < 5:
        sys.exit("after the refill, %u of 5 new frames came" % len(got))
    fe.close()


def mode_reconnect(path, d):
    for c in range(1, 6):
        fe = FrontEnd(path)
        fe.setup()
        print("up", c, flush=True)
        exchange(fe, d, str(c))
        fe.close()
        print("closed", c, flush=True)
        go(d, "next.%u" % c)


def mode_reset(path, d):
    """Set up, exchange, reset (1: GET_VRING_BASE and RESET_DEVICE, 2:
    RESET_OWNER with the rings running), check nothing lands in the old
    rings, set up again; 3 rounds of exchange in all."""
    fe = FrontEnd(path)
    for r in (1, 2, 3):
        fe.setup()
        if r == 1 and not fe.pfeat & (1 << PF_RESET_DEVICE):
            sys.exit("RESET_DEVICE not offered: 0x%x" % fe.pfeat)
        print("up", r, flush=True)
        exchange(fe, d, str(r))
        if r == 3:
            break
        if r == 1:
            b0, b1 = fe.vring_base(0), fe.vring_base(1)
            if (b0, b1) != (3, 3):
                sys.exit("GET_VRING_BASE: %u and %u, not 3 and 3" % (b0, b1))
            fe.send(RESET_DEVICE)
        else:
            fe.send(RESET_OWNER)
        print("reset", r, flush=True)
        go(d, "dead.%u" % r)
        late = fe.rx()
        if late:
            sys.exit("reset %u: %u frames in the old rings" % (r, len(late)))
    fe.close()


def csum(b, acc=0):
    """RFC 1071 sum of @b (not inverted), folded."""
    if len(b) & 1:
        b += b"\0"
    acc += sum(struct.unpack(">%uH" % (len(b) // 2), b))
    while acc >> 16:
        acc = (acc & 0xffff) + (acc >> 16)
    return acc


MAC_A = b"\x02\x00\x00\x00\x90\x0a"


def tcp_packet(v6, seq, payload, flags=0x18):
    """A broadcast TCP packet from MAC_A in IPv4 or IPv6, whose checksum
    field holds the pseudo-header sum (a checksum left to the device);
    return it and the TCP header's offset."""
    tcp = struct.pack(">HHIIBBHHH", 40000, 5001, seq, 1, 0x50, flags,
                      65535, 0, 0)
    if v6:
        src, dst = bytes(range(0x20, 0x30)), bytes(range(0x30, 0x40))
        ip = struct.pack(">IHBB", 0x60000000, 20 + len(payload), 6, 64)
        ip += src + dst
        etype = 0x86dd
    else:
        src, dst = b"\x0a\x00\x5a\x01", b"\x0a\x00\x5a\x02"
        ip = struct.pack(">BBHHHBBH", 0x45, 0, 40 + len(payload), 7,
                         0x4000, 64, 6, 0) + src + dst
        ip = ip[:10] + struct.pack(">H", 0xffff - csum(ip)) + ip[12:]
        etype = 0x0800
    ps = csum(src + dst, 6 + 20 + len(payload))
    tcp = tcp[:16] + struct.pack(">H", ps) + tcp[18:]
    f = b"\xff" * 6 + MAC_A + struct.pack(">H", etype) + ip + tcp + payload
    return f, 14 + len(ip)


def vnet(flags, gso, hdr_len, gso_size, start, off):
    return struct.pack("<BBHHHHH", flags, gso, hdr_len, gso_size, start,
                       off, 0)


def check_segments(segs, v6, l4, payload, mss):
    """@segs (frames with their headers) are @payload cut in @mss bytes,
    every checksum good; exit naming what is wrong."""
    got = b""
    for k, s in enumerate(segs):
        h, f = s[:HDR], s[HDR:]
        if h[0] or h[1]:
            sys.exit("segment %u: header flags 0x%x gso %u" % (k, h[0], h[1]))
        data = f[l4 + 20:]
        if len(data) > mss:
            sys.exit("segment %u: %u bytes, MSS %u" % (k, len(data), mss))
        ip = f[14:l4]
        if v6:
            ps = csum(ip[8:40], 6 + len(f) - l4)
        else:
            if csum(ip) != 0xffff:
                sys.exit("segment %u: bad IPv4 header checksum" % k)
            ps = csum(ip[12:20], 6 + len(f) - l4)
        if csum(f[l4:], ps) != 0xffff:
            sys.exit("segment %u: bad TCP checksum" % k)
        seq = struct.unpack(">I", f[l4 + 4:l4 + 8])[0]
        if seq != (1000 + len(got)) & 0xffffffff:
            sys.exit("segment %u: seq %u after %u bytes" % (k, seq, len(got)))
        got += data
    if got != payload:
        sys.exit("segments hold %u bytes, not the %u sent" % (len(got),
                 len(payload)))


def mode_offload(path, d):
    """Front ends a (sends, offloads), b (no offloads), c (offloads).
    a's frames are broadcast: each reaches b and c."""
    a, b, c = FrontEnd(path), FrontEnd(path), FrontEnd(path)
    a.setup(offload=True)
    b.setup()
    c.setup(offload=True, ack=True)
    # REPLY_ACK: a message asking for a reply that has none of its own
    # gets 0; one with a reply of its own gets only that
    c.s.sendall(struct.pack("<III", SET_VRING_ENABLE, 1 | NEED_REPLY, 8) +
                struct.pack("<II", 0, 1))
    if struct.unpack("<Q", c.reply(SET_VRING_ENABLE))[0] != 0:
        sys.exit("REPLY_ACK: SET_VRING_ENABLE did not succeed")
    c.s.sendall(struct.pack("<III", GET_FEATURES, 1 | NEED_REPLY, 0))
    c.reply(GET_FEATURES)
    c.s.sendall(struct.pack("<III", SET_OWNER, 1, 0))
    c.s.sendall(struct.pack("<III", GET_QUEUE_NUM, 1, 0))
    if struct.unpack("<Q", c.reply(GET_QUEUE_NUM))[0] != 1:
        sys.exit("REPLY_ACK: an extra reply came, or no queue count")
    for fe in (b, c):
        fe.pending = None
    print("ready", flush=True)
    go(d, "gso")
    payload = bytes((i * 7 + i // 251) & 0xff for i in range(8000))
    for v6 in (False, True):
        f, l4 = tcp_packet(v6, 1000, payload, 0x19)
        a.tx(f, vnet(1, 4 if v6 else 1, l4 + 20, 1448, l4, 16))
        a.tx_done()
        end = time.time() + 10
        bs, cs = [], []
        while (len(bs) < 6 or not cs) and time.time() < end:
            bs += b.rx_merged()
            cs += c.rx_merged()
            time.sleep(0.01)
        tag = "v6" if v6 else "v4"
        if len(bs) != 6 or len(cs) != 1:
            sys.exit("GSO %s: %u segments at b (not 6), %u frames at c "
                     "(not 1)" % (tag, len(bs), len(cs)))
        check_segments(bs, v6, l4, payload, 1448)
        h, g = cs[0][:HDR], cs[0][HDR:]
        if g != f or h[:10] != vnet(1, 4 if v6 else 1, l4 + 20, 1448, l4,
                                    16)[:10]:
            sys.exit("GSO %s: c got %u bytes, header %s: not the frame "
                     "sent" % (tag, len(g), h.hex()))
        print("gso", tag, "ok", flush=True)
    # a small segment with its checksum left to do
    f, l4 = tcp_packet(False, 1000, payload[:500])
    a.tx(f, vnet(1, 0, 0, 0, l4, 16))
    a.tx_done()
    end = time.time() + 10
    bs, cs = [], []
    while (not bs or not cs) and time.time() < end:
        bs += b.rx_merged()
        cs += c.rx_merged()
        time.sleep(0.01)
    if len(bs) != 1 or len(cs) != 1:
        sys.exit("partial checksum: %u frames at b, %u at c" % (len(bs),
                 len(cs)))
    check_segments(bs, False, l4, payload[:500], 1448)
    # c may take it as it was sent, or (filled in for b in the buffer
    # both share) with its checksum done
    g = cs[0][HDR:]
    if cs[0][0] == 1:
        ok = g == f
    else:
        ok = g[:l4 + 16] == f[:l4 + 16] and g[l4 + 18:] == f[l4 + 18:]
        ok = ok and csum(g[l4:], csum(g[26:34], 6 + len(g) - l4)) == 0xffff
    if not ok:
        sys.exit("partial checksum: c got neither the frame sent nor it "
                 "with its checksum done")
    print("csum ok", flush=True)
    # with a's port impaired "in" (clamp 1500) and c's "out" (a delay),
    # the impairments see the wire's frames: both get segments
    go(d, "impaired")
    f, l4 = tcp_packet(False, 1000, payload, 0x18)
    a.tx(f, vnet(1, 1, l4 + 20, 1448, l4, 16))
    a.tx_done()
    end = time.time() + 10
    bs, cs = [], []
    while (len(bs) < 6 or len(cs) < 6) and time.time() < end:
        bs += b.rx_merged()
        cs += c.rx_merged()
        time.sleep(0.01)
    if len(bs) != 6 or len(cs) != 6:
        sys.exit("impaired: %u segments at b, %u at c (not 6 and 6)" %
                 (len(bs), len(cs)))
    check_segments(bs, False, l4, payload, 1448)
    check_segments(cs, False, l4, payload, 1448)
    print("impaired ok", flush=True)
    # headers that lie: none of these may come out anywhere
    go(d, "bad")
    f, l4 = tcp_packet(False, 1000, payload[:3000])
    for h in (vnet(1, 3, 0, 1448, l4, 16),	# UDP fragmentation
              vnet(1, 1, 0, 0, l4, 16),		# no segment size
              vnet(1, 1, 0, 1448, l4 + 4, 16),	# not at the TCP header
              vnet(1, 0, 0, 0, len(f) - 1, 0),	# beyond the end
              vnet(0x40, 0, 0, 0, 0, 0),		# unknown flag
              vnet(0, 1, 0, 1448, 0, 0),		# GSO, no checksum
              vnet(1, 1, 0, 10, l4, 16)):	# 300 segments
        a.tx(f, h)
        a.tx_done()
    # then a good frame: the switch serves a's ring in order, so once it
    # is out, whatever the bad ones became is out too
    mark, _ = tcp_packet(False, 5, b"marker")
    a.tx(mark)
    a.tx_done()
    end = time.time() + 10
    bs, cs = [], []
    while (not any(x[HDR:] == mark for x in bs) or
           not any(x[HDR:] == mark for x in cs)) and time.time() < end:
        bs += b.rx_merged()
        cs += c.rx_merged()
        time.sleep(0.01)
    for name, got in (("b", bs), ("c", cs)):
        if [x[HDR:] for x in got] != [mark]:
            sys.exit("%s got %u frames after the bad headers, not just the "
                     "good one after them" % (name, len(got)))
    print("bad ok", flush=True)
    go(d, "end")
    for fe in (a, b, c):
        fe.close()


def mode_no_offload(path, d):
    """A switch started with --no-offload offers none of them."""
    fe = FrontEnd(path)
    fe.setup()
    if fe.features & OFFLOADS:
        sys.exit("offloads offered: 0x%x" % (fe.features & OFFLOADS))
    print("none offered", flush=True)
    fe.close()


if __name__ == "__main__":
    modes = {"stall": mode_stall, "reconnect": mode_reconnect,
             "reset": mode_reset, "offload": mode_offload,
             "no-offload": mode_no_offload}
    if len(sys.argv) != 4 or sys.argv[2] not in modes:
        sys.exit("usage: vhost_fe.py SOCK %s DIR" % "|".join(modes))
    modes[sys.argv[2]](sys.argv[1], sys.argv[3])
