#!/usr/bin/env python3
"""Re-runs the memory probes of issue 15 against a running node, by hand (not part of the suite).

    tests/flood/flood.py HOST:PORT TARGET ROW --pid NODE_PID [--seconds N]

ROW is one of: nop, text, write-immediate, read, write16, write16-sessions, sessions.
A healthy session beside the flood writes and reads back 4 KiB every 100 ms; the script prints
the node's peak RSS (ps -o rss, sampled every 100 ms), the healthy session's slowest round trip,
and what the flooding connection saw. A raw client on purpose: it sends what a hostile
initiator sends and never reads where the probe never read.
"""
import argparse
import os
import socket
import struct
import subprocess
import threading
import time

INITIATOR = "iqn.2026-12.io.iscsicluster.flood:probe"


def pad(data):
    return data + b"\0" * (-len(data) % 4)


def bhs(opcode, flags, data=b"", lun=0, itt=0, word20=0, cmdsn=0, expstatsn=0, tail=b""):
    header = bytearray(48)
    header[0] = opcode
    header[1] = flags
    header[5:8] = len(data).to_bytes(3, "big")
    header[8:16] = struct.pack(">Q", lun)
    struct.pack_into(">IIII", header, 16, itt, word20, cmdsn, expstatsn)
    header[32:32 + len(tail)] = tail
    return bytes(header) + pad(data)


def keys(**pairs):
    return b"".join(f"{k}={v}".encode() + b"\0" for k, v in pairs.items())


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("closed by the target")
        buf += chunk
    return bytes(buf)


def recv_pdu(sock):
    header = recv_exact(sock, 48)
    length = int.from_bytes(header[5:8], "big")
    data = recv_exact(sock, length + (-length % 4))[:length]
    return header, data


class Session:
    def __init__(self, address, target, isid, name=INITIATOR):
        self.sock = socket.create_connection(address)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.itt = 1
        self.cmdsn = 1
        self.expstatsn = 0
        kv = dict(InitiatorName=name)
        if target:
            kv.update(SessionType="Normal", TargetName=target)
        else:
            kv.update(SessionType="Discovery")
        kv.update(HeaderDigest="None", DataDigest="None", ImmediateData="Yes", InitialR2T="No",
                  MaxRecvDataSegmentLength=262144, FirstBurstLength=262144, MaxBurstLength=1048576,
                  ErrorRecoveryLevel=0, MaxConnections=1)
        data = keys(**kv)
        # CSG operational (1), NSG full feature (3), Transit.
        login = bytearray(bhs(0x43, 0x80 | (1 << 2) | 3, data, itt=0, cmdsn=1))
        login[8:14] = isid.to_bytes(6, "big")
        self.sock.sendall(login)
        header, _ = recv_pdu(self.sock)
        self.status = (header[36], header[37])
        if self.status != (0, 0):
            raise ConnectionError(f"login refused: status {header[36]:02x}{header[37]:02x}")
        self.expstatsn = struct.unpack(">I", header[24:28])[0] + 1
        self.cmdsn = struct.unpack(">I", header[28:32])[0]

    def next_itt(self):
        self.itt += 1
        return self.itt

    def command(self, cdb, read=0, write=b"", expected=0, immediate=False, lun=1, itt=None):
        itt = self.next_itt() if itt is None else itt
        flags = 0x80 | (0x40 if read else 0) | (0x20 if expected and not read else 0) | 1
        pdu = bhs(0x01 | (0x40 if immediate else 0), flags, write, lun=lun << 48, itt=itt,
                  word20=expected or read, cmdsn=self.cmdsn, expstatsn=self.expstatsn, tail=cdb.ljust(16, b"\0"))
        if not immediate:
            self.cmdsn += 1
        return itt, pdu

    def run(self, cdb, read=0, write=b""):
        """Sends a command and waits for its status; returns (status, data)."""
        itt, pdu = self.command(cdb, read=read, write=write, expected=len(write))
        self.sock.sendall(pdu)
        got = bytearray()
        while True:
            header, data = recv_pdu(self.sock)
            opcode = header[0] & 0x3F
            if struct.unpack(">I", header[16:20])[0] != itt:
                continue
            if opcode == 0x25:  # Data-In
                got += data
                if header[1] & 0x01:
                    return header[3], bytes(got)
            elif opcode == 0x21:  # SCSI Response
                return header[3], bytes(got)

    def logout(self):
        self.sock.sendall(bhs(0x46, 0x80, itt=self.next_itt(), cmdsn=self.cmdsn, expstatsn=self.expstatsn))
        try:
            recv_pdu(self.sock)
        except ConnectionError:
            pass
        self.sock.close()


def rw10(op, lba, blocks):
    return struct.pack(">BBIBHB", op, 0, lba, 0, blocks, 0)


def rw16(op, lba, blocks):
    return struct.pack(">BBQIBB", op, 0, lba, blocks, 0, 0)


class Rss(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.last, self.stop = pid, 0, 0, False

    def run(self):
        while not self.stop:
            out = subprocess.run(["ps", "-o", "rss=", "-p", str(self.pid)], capture_output=True, text=True).stdout.strip()
            if out:
                self.last = int(out)
                self.peak = max(self.peak, self.last)
            time.sleep(0.1)


class Healthy(threading.Thread):
    def __init__(self, address, target):
        super().__init__(daemon=True)
        self.address, self.target = address, target
        self.worst, self.rounds, self.errors, self.stop = 0.0, 0, [], False

    def run(self):
        try:
            session = Session(self.address, self.target, 0x80_0000_00FF_FF, name="iqn.2026-12.io.iscsicluster.flood:healthy")
            session.run(b"\0" * 6)  # the new nexus's unit attention
            lba = 1_000_000
            while not self.stop:
                block = os.urandom(4096)
                start = time.monotonic()
                status, _ = session.run(rw10(0x2A, lba, 8), write=block)
                status2, back = session.run(rw10(0x28, lba, 8), read=4096)
                self.worst = max(self.worst, time.monotonic() - start)
                if status or status2 or back != block:
                    self.errors.append(f"status {status}/{status2}, data {'ok' if back == block else 'WRONG'}")
                self.rounds += 1
                time.sleep(0.1)
            session.logout()
        except Exception as error:  # noqa: BLE001 - report whatever broke the healthy session
            self.errors.append(repr(error))


def flood(sock, build, seconds, pace=0.0, burst=1):
    """Sends PDUs for `seconds`, never reading. A send TCP holds back waits (and resumes where it
    stopped, so the stream stays framed); returns how many PDUs went out whole."""
    sock.settimeout(0.2)
    sent, end, pending = 0, time.monotonic() + seconds, b""
    while time.monotonic() < end:
        if not pending:
            pending = memoryview(build(sent))
        try:
            pending = pending[sock.send(pending):]
        except socket.timeout:
            continue
        except OSError:
            break
        if not pending:
            sent += 1
            if pace and sent % burst == 0:
                time.sleep(pace)
    return sent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("portal")
    parser.add_argument("target")
    parser.add_argument("row")
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    host, port = args.portal.rsplit(":", 1)
    address = (host, int(port))
    rss = Rss(args.pid)
    rss.start()
    time.sleep(0.3)
    before = rss.last
    healthy = Healthy(address, args.target)
    healthy.start()
    note = ""
    row = args.row
    if row == "nop":
        s = Session(address, None, 0x80_0000_0000_01)
        ping = b"p" * 65536
        n = flood(s.sock, lambda i: bhs(0x40, 0x80, ping, itt=i + 1, word20=0xFFFFFFFF, cmdsn=s.cmdsn), args.seconds)
        note = f"{n} NOP-Outs of 64 KiB sent"
    elif row == "text":
        s = Session(address, None, 0x80_0000_0000_02)
        chunk = b"a" * 32768
        n = flood(s.sock, lambda i: bhs(0x44, 0x40, chunk, itt=7, word20=0xFFFFFFFF, cmdsn=s.cmdsn), args.seconds)
        note = f"{n} Text Requests of 32 KiB with the C bit sent ({n * 32 // 1024} MiB)"
    elif row == "write-immediate":
        s = Session(address, args.target, 0x80_0000_0000_03)
        block = b"w" * 4096
        n = flood(s.sock, lambda i: s.command(rw10(0x2A, i % 100_000, 8), write=block, expected=4096, immediate=True)[1], args.seconds)
        note = f"{n} immediate WRITE(10) of 4 KiB sent"
    elif row == "read":
        s = Session(address, args.target, 0x80_0000_0000_04)
        n = flood(s.sock, lambda i: s.command(rw10(0x28, (i % 64) * 512, 512), read=262144)[1], args.seconds, pace=0.005, burst=16)
        s.sock.close()
        time.sleep(3)
        note = f"{n} READ(10) of 256 KiB sent; RSS 3 s after the attacker left: {rss.last // 1024} MiB"
    elif row in ("write16", "write16-sessions"):
        sessions = [Session(address, args.target, 0x80_0000_0001_00 + k) for k in range(8 if row == "write16-sessions" else 1)]
        first = b"x" * 262144
        answers = {"R2T": 0, "TASK SET FULL": 0, "CHECK CONDITION": 0, "Reject": 0}
        for s in sessions:
            for _ in range(60):
                s.sock.sendall(s.command(rw16(0x8A, 0, 131072), write=first, expected=64 << 20, immediate=True)[1])
        end = time.monotonic() + args.seconds
        for s in sessions:
            s.sock.settimeout(0.2)
        while time.monotonic() < end:
            for s in sessions:
                try:
                    header, _ = recv_pdu(s.sock)
                except (socket.timeout, ConnectionError):
                    continue
                op = header[0] & 0x3F
                if op == 0x31:
                    answers["R2T"] += 1
                elif op == 0x21:
                    answers["TASK SET FULL" if header[3] == 0x28 else "CHECK CONDITION"] += 1
                elif op == 0x3F:
                    answers["Reject"] += 1
        note = f"{len(sessions)} session(s) x 60 immediate WRITE(16) of 64 MiB, R2Ts never answered; answers: {answers}"
    elif row == "sessions":
        count = int(args.seconds)
        for k in range(count):
            s = Session(address, args.target, 0x80_0001_0000_00 + k)
            s.run(b"\0" * 6)
            s.logout()
        note = f"{count} sessions with distinct ISIDs logged in, sent TEST UNIT READY and logged out"
    else:
        parser.error(f"unknown row {row}")
    time.sleep(1)
    healthy.stop = True
    healthy.join(5)
    rss.stop = True
    print(f"row {row}: {note}")
    print(f"  node RSS before {before // 1024} MiB, peak {rss.peak // 1024} MiB, last {rss.last // 1024} MiB")
    print(f"  healthy session: {healthy.rounds} write+read rounds, slowest {healthy.worst * 1000:.0f} ms, errors: {healthy.errors or 'none'}")


if __name__ == "__main__":
    main()
