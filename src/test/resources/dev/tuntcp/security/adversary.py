# Adversarial segments against tuntcp's services (echo on 7, HTTP on 80) from made-up peers in the
# test's namespace. Packets are written into the TUN through a packet socket, so the kernel's TCP
# never sees or fixes them; the stack's answers are read from the same device. Neither 10.13.0.9
# nor 10.13.0.77 is a kernel address, so the kernel drops what the stack sends them (no RSTs of its
# own): they behave like an off-path or spoofing host. Prints one line per case; exits 1 if any fails.
import random
import select
import socket
import struct
import sys
import time

from scapy.all import IP, TCP, Raw

DEV = sys.argv[1] if len(sys.argv) > 1 else 'tt0'
STACK = '10.13.0.2'
ME = '10.13.0.9'
SPOOFED = '10.13.0.77'
ETH_P_IP = 0x0800
QUIET = 0.4  # seconds of silence that count as "no answer"

sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
sock.bind((DEV, ETH_P_IP))
failures = []


def send(pkt):
    sock.sendto(bytes(pkt), (DEV, ETH_P_IP))


def recv(timeout, match):
    """The first packet from the stack that `match` accepts within `timeout` seconds, or None."""
    deadline = time.time() + timeout
    while True:
        left = deadline - time.time()
        if left <= 0:
            return None
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            return None
        data, addr = sock.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue  # what we wrote ourselves
        p = IP(data)
        if p.src == STACK and p.haslayer(TCP) and match(p):
            return p


def check(name, ok, detail=''):
    print(('OK   ' if ok else 'FAIL ') + name + ((' : ' + detail) if detail else ''), flush=True)
    if not ok:
        failures.append(name)


def flags(p):
    return str(p[TCP].flags)


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def raw_tcp(src, sport, dport, tcp_header, payload=b''):
    """An IPv4 datagram around exactly these TCP header bytes (checksum field recomputed)."""
    seg = bytearray(tcp_header + payload)
    seg[16:18] = b'\0\0'
    pseudo = socket.inet_aton(src) + socket.inet_aton(STACK) + struct.pack('!BBH', 0, 6, len(seg))
    seg[16:18] = struct.pack('!H', checksum(pseudo + bytes(seg)))
    return IP(src=src, dst=STACK, proto=6) / Raw(bytes(seg))


class Conn:
    """A handshake done by hand with the stack, with our SND.NXT (seq) and its (rcv) tracked."""

    def __init__(self, sport, dport=7, src=ME):
        self.src, self.sport, self.dport = src, sport, dport
        self.seq = random.randrange(1 << 32)
        send(self.seg('S', seq=self.seq, ack=0))
        synack = self.reply(3, lambda p: flags(p) == 'SA')
        if synack is None:
            raise SystemExit('no SYN/ACK for port %d' % dport)
        self.iss = synack[TCP].seq
        self.rcv = (synack[TCP].seq + 1) % (1 << 32)
        self.seq = (self.seq + 1) % (1 << 32)
        send(self.seg('A'))

    def seg(self, fl, seq=None, ack=None, payload=b'', **kw):
        t = TCP(sport=self.sport, dport=self.dport, flags=fl, window=65535,
                seq=self.seq if seq is None else seq % (1 << 32),
                ack=self.rcv if ack is None else ack % (1 << 32), **kw)
        p = IP(src=self.src, dst=STACK) / t
        return p / Raw(payload) if payload else p

    def reply(self, timeout=QUIET, match=lambda p: True):
        return recv(timeout, lambda p: p.dst == self.src and p[TCP].sport == self.dport
                    and p[TCP].dport == self.sport and match(p))

    def alive(self, name):
        """Echo round trip: the connection still works and holds exactly what we sent."""
        msg = b'alive-%d' % random.randrange(1 << 30)
        send(self.seg('PA', payload=msg))
        self.seq += len(msg)
        got = b''
        deadline = time.time() + 3
        while len(got) < len(msg) and time.time() < deadline:
            p = self.reply(deadline - time.time(), lambda p: Raw in p)
            if p is None:
                break
            if p[TCP].seq == self.rcv:
                got += bytes(p[Raw].load)
                self.rcv = (self.rcv + len(p[Raw].load)) % (1 << 32)
        send(self.seg('A'))
        check(name + ' / connection survives', got == msg, 'echoed %r' % got)


def silent(conn_or_none, name, match=lambda p: True, sport=None, dport=None):
    if conn_or_none is not None:
        p = conn_or_none.reply(QUIET, match)
    else:
        p = recv(QUIET, lambda p: p[TCP].dport == sport and p[TCP].sport == dport and match(p))
    check(name, p is None, 'answered %s' % p.summary() if p is not None else '')


def main():
    # RST with the exact sequence number: the connection is gone (its ACK then meets the listener,
    # whose answer to an ACK is a reset).
    c = Conn(40001)
    send(c.seg('R', ack=0))
    silent(c, 'rst exact: no answer')
    send(c.seg('A'))
    p = c.reply(1.5)
    check('rst exact: connection closed', p is not None and 'R' in flags(p), p.summary() if p else 'no answer')

    # RST in the window but not at RCV.NXT: a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT>.
    c = Conn(40002)
    send(c.seg('R', seq=c.seq + 100, ack=0))
    p = c.reply(1.5)
    check('rst in window: challenge ack', p is not None and flags(p) == 'A' and p[TCP].ack == c.seq,
          p.summary() if p else 'no answer')
    c.alive('rst in window')

    # RST outside the window: ignored.
    c = Conn(40003)
    send(c.seg('R', seq=c.seq + (1 << 30), ack=0))
    silent(c, 'rst out of window: ignored')
    c.alive('rst out of window')

    # SYN in ESTABLISHED (RFC 5961 §4): a challenge ACK, and the connection survives.
    c = Conn(40004)
    send(c.seg('S', seq=c.seq + 10, ack=0))
    p = c.reply(1.5)
    check('syn in established: challenge ack', p is not None and flags(p) == 'A' and p[TCP].ack == c.seq,
          p.summary() if p else 'no answer')
    c.alive('syn in established')

    # Data beyond the receive window: not acceptable, acknowledged with RCV.NXT, not kept.
    c = Conn(40005)
    send(c.seg('PA', seq=c.seq + 200000, payload=b'x' * 100))
    p = c.reply(1.5)
    check('data beyond window: ack of rcv.nxt', p is not None and p[TCP].ack == c.seq,
          p.summary() if p else 'no answer')
    c.alive('data beyond window')

    # An ACK of data never sent (RFC 5961 §5.2): a challenge ACK, the segment's data not taken.
    c = Conn(40006)
    send(c.seg('PA', ack=c.rcv + 100000, payload=b'unsent'))
    p = c.reply(1.5)
    check('ack of unsent data: challenge ack', p is not None and flags(p) == 'A' and p[TCP].ack == c.seq,
          p.summary() if p else 'no answer')
    c.alive('ack of unsent data')

    # A bad TCP checksum: dropped without an answer, its data never delivered.
    c = Conn(40007)
    bad = c.seg('PA', payload=b'evil')
    bad[TCP].chksum = (TCP(bytes(c.seg('PA', payload=b'evil')[TCP])).chksum ^ 0x5a5a) or 1
    send(bad)
    silent(c, 'bad checksum: no answer')
    c.alive('bad checksum')

    # Data offset below 5 words, and beyond the packet.
    c = Conn(40008)
    send(c.seg('PA', payload=b'abcd', dataofs=4))
    silent(c, 'data offset 4: no answer')
    send(c.seg('A', dataofs=15))
    silent(c, 'data offset beyond packet: no answer')
    c.alive('bad data offsets')

    # Illegal flag combinations to the listener: never answered.
    for i, fl in enumerate(['SF', 'SR', 'SFR', 'SFPU']):
        send(IP(src=ME, dst=STACK) / TCP(sport=41000 + i, dport=80, flags=fl, seq=1000))
        silent(None, 'flags %s to a listener: dropped' % fl, sport=41000 + i, dport=80)

    # Scans: null, FIN and Xmas. A closed port answers RST (RFC 9293 §3.10.7.1), an open one nothing.
    for i, fl in enumerate(['', 'F', 'FPU']):
        name = fl or 'null'
        send(IP(src=ME, dst=STACK) / TCP(sport=42000 + i, dport=80, flags=fl, seq=5000))
        silent(None, '%s scan of an open port: no answer' % name, sport=42000 + i, dport=80)
        send(IP(src=ME, dst=STACK) / TCP(sport=42100 + i, dport=81, flags=fl, seq=5000))
        p = recv(1.5, lambda p: p[TCP].dport == 42100 + i and p[TCP].sport == 81)
        check('%s scan of a closed port: RST' % name, p is not None and 'R' in flags(p),
              p.summary() if p else 'no answer')

    # Zero-length and overlong options in a SYN: malformed, no connection, no answer.
    base = bytes(TCP(sport=43000, dport=80, flags='S', seq=7, window=65535, options=[('MSS', 1460)]))
    zero_len = base[:20] + b'\x02\x00\x05\xb4'
    overlong = base[:20] + b'\x02\x28\x05\xb4'
    send(raw_tcp(ME, 43000, 80, zero_len))
    silent(None, 'zero-length option: dropped', sport=43000, dport=80)
    send(raw_tcp(ME, 43000, 80, overlong))
    silent(None, 'overlong option: dropped', sport=43000, dport=80)

    # A spoofed-source SYN gets its SYN/ACK; the spoofed host's RST (at the SYN/ACK's ACK) clears it:
    # the same handshake's ACK afterwards finds only the listener, which resets it.
    send(IP(src=SPOOFED, dst=STACK) / TCP(sport=44000, dport=80, flags='S', seq=900, window=65535))
    p = recv(1.5, lambda p: p.dst == SPOOFED and p[TCP].dport == 44000)
    check('spoofed syn: syn/ack to the spoofed address', p is not None and flags(p) == 'SA',
          p.summary() if p else 'no answer')
    if p is not None:
        iss = p[TCP].seq
        send(IP(src=SPOOFED, dst=STACK) / TCP(sport=44000, dport=80, flags='R', seq=901))
        silent(None, 'spoofed syn: the rst is not answered', sport=44000, dport=80,
               match=lambda q: q.dst == SPOOFED)
        send(IP(src=SPOOFED, dst=STACK) / TCP(sport=44000, dport=80, flags='A', seq=901, ack=iss + 1))
        q = recv(1.5, lambda q: q.dst == SPOOFED and q[TCP].dport == 44000)
        check('spoofed syn: half-open connection cleared', q is not None and flags(q) == 'R',
              q.summary() if q else 'no answer')

    print('failures: %d' % len(failures), flush=True)
    sys.exit(1 if failures else 0)


main()
