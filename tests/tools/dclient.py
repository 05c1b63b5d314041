# SPDX-License-Identifier: GPL-2.0-or-later
"""dclient.py: a daemon-protocol (v3) client for tests, in Python.

    import sys; sys.path.insert(0, TOOLS); from dclient import Client, frame
    a = Client(ctl)                    # joins the switch at ctl
    a.send(frame(BCAST, a.mac, "tag")) # one Ethernet frame
    got = a.recv_all()                 # every frame waiting, no blocking
    a.wait_tag("tag", 5)               # True once a frame with that tag came

A client binds its data socket to an abstract name with the full 110-byte
length (as UML does), or to a path (path=...), writes the 124-byte v3
request, reads the switch's 110-byte reply and connects to it.  Frames
carry a text tag right after the 14-byte header.
"""
import os
import select
import socket
import struct
import time

BCAST = b"\xff" * 6
_seq = [0]


def mac(n):
    """A locally administered unicast MAC numbered n."""
    return bytes([2, 0, 0, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff])


def frame(dst, src, tag, ethertype=0x88b5, length=60):
    """dst, src, type, then the tag, padded to length bytes."""
    body = tag.encode() if isinstance(tag, str) else tag
    f = dst + src + struct.pack("!H", ethertype) + body
    return f.ljust(length, b"\0")


def tag_of(f, n):
    return f[14:14 + n]


class Client:
    def __init__(self, ctl, mac_addr=None, path=None, rcvbuf=None,
                 timeout=5, mode=None):
        _seq[0] += 1
        self.mac = mac_addr or mac(os.getpid() & 0xffff << 4 | _seq[0])
        self.data = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if rcvbuf:
            self.data.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if path:
            self.data.bind(path)
            if mode is not None:	# who else may write to it
                os.chmod(path, mode)
            addr = path.encode().ljust(108, b"\0")
        else:
            addr = ("\0umlnet-pytest-%d-%d" % (os.getpid(), _seq[0])).encode()
            addr = addr.ljust(108, b"\0")
            self.data.bind(addr)
        self.ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.ctl.settimeout(timeout)
        self.ctl.connect(ctl)
        req = struct.pack("=III", 0xfeedface, 3, 0)
        req += struct.pack("=H", socket.AF_UNIX) + addr + b"\0\0"
        self.ctl.sendall(req)
        reply = b""
        while len(reply) < 110:
            chunk = self.ctl.recv(110 - len(reply))
            if not chunk:
                raise ConnectionError("the switch closed the control "
                                      "connection instead of replying")
            reply += chunk
        peer = reply[2:]
        name = peer if peer[:1] == b"\0" else peer.rstrip(b"\0")
        self.data.connect(name)
        self.data.setblocking(False)

    def send(self, f):
        """Send one frame; False if the switch's socket is full."""
        try:
            self.data.send(f)
            return True
        except BlockingIOError:
            return False

    def recv_all(self):
        got = []
        while True:
            try:
                got.append(self.data.recv(65536))
            except BlockingIOError:
                return got

    def wait_tag(self, tag, secs):
        """Wait up to secs for a frame whose tag starts with tag."""
        t = tag.encode()
        end = time.time() + secs
        while time.time() < end:
            select.select([self.data], [], [], 0.05)
            for f in self.recv_all():
                if tag_of(f, len(t)) == t:
                    return True
        return False

    def close(self):
        self.data.close()
        self.ctl.close()
