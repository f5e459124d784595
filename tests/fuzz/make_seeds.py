#!/usr/bin/env python3
# Writes the seed corpora of the robust-area harnesses (tests/fuzz/corpus/NAME/):
# valid exchanges built byte by byte from the NVMe/TCP and NVMe base specs,
# in each harness's input format (see the comment at the top of each
# fuzz_*.c).  Run from anywhere; rewrites only these harnesses' seeds.
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def save(name, seed, data):
    d = os.path.join(HERE, 'corpus', name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, seed), 'wb') as f:
        f.write(data)


# ---- host_tcp_rx: a controller's byte stream ----

def hdr(hd, ptype, flags, hlen, pdo, body, data=b'', dd=False):
    """A PDU: common header + rest of header, HDGST, pad to PDO, data, DDGST."""
    h = bytearray(struct.pack('<BBBBI', ptype, flags | (1 if hd else 0) | (2 if dd and data else 0),
                              hlen, pdo, 0)) + body
    assert len(h) == hlen
    out = bytearray(h)
    plen = hlen + (4 if hd else 0)
    if data:
        plen = pdo + len(data) + (4 if dd else 0)
    struct.pack_into('<I', out, 4, plen)
    if hd:
        out += struct.pack('<I', crc32c(bytes(out[:hlen])))
    if data:
        out += b'\0' * (pdo - len(out))
        out += data
        if dd:
            out += struct.pack('<I', crc32c(data))
    return bytes(out)


def icresp(hd, dd, maxh2c=8192):
    body = struct.pack('<HBBI', 0, 0, (1 if hd else 0) | (2 if dd else 0), maxh2c) + b'\0' * 112
    return hdr(False, 0x01, 0, 128, 0, body)


def rsp(hd, cid, status=0, dw0=0):
    cqe = struct.pack('<IIHHHH', dw0, 0, 0, 0, cid, status << 1)
    return hdr(hd, 0x05, 0, 24, 0, cqe)


def c2h(hd, dd, cid, off, data, flags=0):
    body = struct.pack('<HHIII', cid, 0, off, len(data), 0)
    pdo = 24 + (4 if hd else 0)
    return hdr(hd, 0x07, flags, 24, pdo, body, data, dd)


def r2t(hd, cid, ttag, off, length):
    body = struct.pack('<HHIII', cid, ttag, off, length, 0)
    return hdr(hd, 0x09, 0, 24, 0, body)


def host_rx():
    LAST, SUCCESS = 0x04, 0x08
    for cfg, name in ((0, 'plain'), (3, 'digests'), (4, 'no_icresp'), (8, 'small_maxh2c')):
        hd, dd = bool(cfg & 1), bool(cfg & 2)
        s = b'' if cfg & 4 else icresp(hd, dd)
        d0 = bytes((i * 7) & 0xff for i in range(3000))
        s += c2h(hd, dd, 0, 0, d0[:1000])
        s += c2h(hd, dd, 0, 1000, d0[1000:], LAST)
        s += rsp(hd, 0)
        s += c2h(hd, dd, 1, 0, bytes(4096), LAST | SUCCESS)
        s += rsp(hd, 2)
        s += r2t(hd, 3, 0x11, 0, 10000)
        s += rsp(hd, 3, 0x281)
        s += rsp(hd, 4)
        save('host_tcp_rx', name, bytes([cfg, 0]) + s)
    save('host_tcp_rx', 'bytewise', bytes([0, 1]) + icresp(False, False) + rsp(False, 4))
    save('host_tcp_rx', 'termreq', bytes([0, 0]) + icresp(False, False) +
         hdr(False, 0x03, 0, 24, 0, struct.pack('<HI', 1, 0) + b'\0' * 10))


# ---- host_admin: one answer per admin command ----

def ans(data=b'', status=0, dw0=0):
    return bytes([status]) + struct.pack('<IH', dw0, len(data)) + data


def id_ctrl(cntlid=1, aerl=3, mdts=5, subnqn=b'nqn.2024-01.io.nvmx:fuzz'):
    b = bytearray(4096)
    struct.pack_into('<HH', b, 0, 0x1b36, 0x1b36)
    b[4:24] = b'SN0001'.ljust(20)
    b[24:64] = b'nvmx fuzz controller'.ljust(40)
    b[64:72] = b'1.0'.ljust(8)
    b[77] = mdts
    struct.pack_into('<HI', b, 78, cntlid, 0x10300)
    b[259] = aerl
    b[768:768 + len(subnqn)] = subnqn
    return bytes(b[:1024])


def id_ns(nsze, lbads=9, nguid=b''):
    b = bytearray(4096)
    struct.pack_into('<QQQ', b, 0, nsze, nsze, nsze)
    b[25] = 1          # NLBAF: two formats
    b[26] = 0
    struct.pack_into('<HBB', b, 128, 0, lbads, 0)
    struct.pack_into('<HBB', b, 132, 8, 12, 0)
    if nguid:
        b[104:120] = nguid
    return bytes(b[:256])


def ns_descs():
    return bytes([3, 16, 0, 0]) + bytes(range(16)) + bytes([2, 16, 0, 0]) + bytes(range(16, 32)) + \
        bytes([1, 8, 0, 0]) + bytes(range(8))


def disc_log(genctr, entries):
    h = bytearray(1024)
    struct.pack_into('<QQH', h, 0, genctr, len(entries), 0)
    out = bytes(h)
    for i, (subtype, nqn) in enumerate(entries):
        e = bytearray(1024)
        struct.pack_into('<BBBBHHHH', e, 0, 3, 1, subtype, 0, 1, 0xffff, 32, 0)
        e[32:36] = b'4420'
        e[256:256 + len(nqn)] = nqn
        e[512:521] = b'127.0.0.1'
        out += bytes(e)
    return out


def host_admin():
    up = ans(id_ctrl()) + ans(dw0=0x00030003) + ans(struct.pack('<III', 1, 2, 0))
    up13 = up + ans(id_ns(0x800, nguid=bytes(range(1, 17)))) + ans(ns_descs()) + \
        ans(id_ns(0x100, lbads=12)) + ans(ns_descs())
    up12 = up + ans(id_ns(0x800)) + ans(id_ns(0x100, lbads=12))
    save('host_admin', 'connect_vs13', bytes([1]) + up13)
    save('host_admin', 'connect_vs12', bytes([0]) + up12)
    save('host_admin', 'connect_aer', bytes([1 | 4]) + up13 + ans(dw0=0x00040002) + ans(dw0=0x00020001))
    ents = [(3, b'nqn.2014-08.org.nvmexpress.discovery'), (2, b'nqn.2024-01.io.nvmx:fuzz')]
    log = disc_log(5, ents)
    disc = ans(id_ctrl(cntlid=2, subnqn=b'nqn.2014-08.org.nvmexpress.discovery')) + \
        ans(log[:1024]) + ans(log) + ans(log[:1024])
    save('host_admin', 'discovery', bytes([2 | 8]) + disc)
    moved = ans(id_ctrl(cntlid=2)) + ans(disc_log(5, ents)[:1024]) + ans(disc_log(6, ents)) + \
        ans(disc_log(6, ents)[:1024]) + ans(disc_log(6, ents)[:1024]) + ans(disc_log(6, ents)) + \
        ans(disc_log(6, ents)[:1024])
    save('host_admin', 'discovery_genctr_moved', bytes([2 | 8]) + moved)
    save('host_admin', 'both', bytes([3]) + up13 + disc)


# ---- tgt_cmds: [flags][icd][SQE][data] ----

def sqe(opc, nsid=0, cdw10=0, cdw11=0, cdw12=0, cdw13=0, sgl_len=0, cdw14=0, cdw15=0):
    b = bytearray(64)
    struct.pack_into('<BBHI', b, 0, opc, 0x40, 0, nsid)
    struct.pack_into('<I', b, 32, sgl_len)
    b[39] = 0x5a
    struct.pack_into('<IIIIII', b, 40, cdw10, cdw11, cdw12, cdw13, cdw14, cdw15)
    return bytes(b)


def rec(io, s, data=b''):
    assert len(data) % 16 == 0
    return bytes([1 if io else 0, len(data) // 16]) + s + data


def tgt_cmds():
    adm = [
        rec(0, sqe(0x06, 0, 1, sgl_len=4096)),                      # Identify Controller
        rec(0, sqe(0x06, 0, 2, sgl_len=4096)),                      # active NS list
        rec(0, sqe(0x06, 1, 0, sgl_len=4096)),                      # Identify NS 1
        rec(0, sqe(0x06, 1, 3, sgl_len=4096)),                      # NS descriptors
        rec(0, sqe(0x06, 1, 5, sgl_len=4096)),                      # CNS 05h
        rec(0, sqe(0x06, 0, 6, sgl_len=4096)),                      # CNS 06h
        rec(0, sqe(0x02, 0xffffffff, 0x02 | (127 << 16), sgl_len=512)),  # SMART
        rec(0, sqe(0x02, 0, 0x01 | (63 << 16), sgl_len=256)),       # error log
        rec(0, sqe(0x02, 0, 0x04 | (1023 << 16), sgl_len=4096)),    # changed NS list
        rec(0, sqe(0x09, 0, 0x07, 0x00030003)),                     # Set Features NQ
        rec(0, sqe(0x0a, 0, 0x07)),                                 # Get Features NQ
        rec(0, sqe(0x09, 0, 0x0b, 0x100)),                          # async event config
        rec(0, sqe(0x09, 0, 0x0f, 5000)),                           # KATO
        rec(0, sqe(0x0c)),                                          # AER
        rec(0, sqe(0x18)),                                          # Keep Alive
        rec(0, sqe(0x08, 0, 0x00010000)),                           # Abort
        rec(0, sqe(0x7f, 0, 0, 0, 0, 0) [:4] + bytes([0x04]) + sqe(0x7f)[5:]),  # Prop Get
    ]
    save('tgt_cmds', 'admin', b''.join(adm))
    data = bytes((i * 13) & 0xff for i in range(512))
    io = [
        rec(1, sqe(0x01, 1, 0, 0, 0, sgl_len=512), data),           # Write in-capsule
        rec(1, sqe(0x02, 1, 0, 0, 0, sgl_len=512)),                 # Read
        rec(1, sqe(0x05, 1, 0, 0, 0, sgl_len=512), data),           # Compare
        rec(1, sqe(0x08, 1, 8, 0, 7)),                              # Write Zeroes
        rec(1, sqe(0x09, 1, 0, 4, sgl_len=16), struct.pack('<IIQ', 0, 8, 16)),  # DSM deallocate
        rec(1, sqe(0x00, 1)),                                       # Flush
        rec(1, sqe(0x02, 3, 0, 0, 1, sgl_len=8192)),                # Read 2 blocks of 4096
        rec(1, sqe(0x01, 1, 0, 0, 7, sgl_len=4096)),                # Write via R2T
        rec(1, sqe(0x02, 1, 0x7ff, 0, 0, sgl_len=512)),             # last LBA
        rec(1, sqe(0x02, 1, 0x800, 0, 0, sgl_len=512)),             # out of range
        rec(1, sqe(0x99, 1)),                                       # unknown opcode
    ]
    save('tgt_cmds', 'io', b''.join(io))
    save('tgt_cmds', 'mixed', b''.join(adm[:3] + io[:3] + adm[13:15]))


# ---- tgt_config / tgt_control / trid: text ----

CONFIG = b'''{ "hosts": [ { "nqn": "nqn.h1" } ],
  "ports": [ { "addr": { "adrfam": "ipv4", "traddr": "127.0.0.1", "trsvcid": "4420",
                         "trtype": "tcp", "treq": "not specified", "tsas": "none" },
               "portid": 7, "referrals": [], "ana_groups": [ { "ana": { "state": "optimized" }, "grpid": 1 } ],
               "param": { "inline_data_size": "16384" }, "subsystems": [ "nqn.s1" ] },
             { "addr": { "trtype": "rdma", "traddr": "10.0.0.1", "adrfam": "ipv4" }, "portid": 8, "subsystems": [] } ],
  "subsystems": [ { "nqn": "nqn.s1", "allowed_hosts": [ "nqn.h1" ],
      "attr": { "allow_any_host": "0", "serial": "SER1", "model": "Linux", "version": "1.3",
                "cntlid_min": "1", "cntlid_max": "65519", "pi_enable": "0" },
      "namespaces": [ { "nsid": 3, "enable": 1, "ana_grpid": 1,
          "device": { "path": "/img", "nguid": "00112233-4455-6677-8899-aabbccddeeff",
                      "uuid": "8a1f6c2e-3d4b-4f5a-9e8d-7c6b5a493827", "p2pmem": false } },
                      { "nsid": 4, "enable": 0, "device": { "path": "xmissing" } } ] },
                  { "nqn": "nqn.s2", "attr": { "allow_any_host": "1" }, "namespaces": [] } ] }
'''


def text_seeds():
    save('tgt_config', 'nvmetcli', CONFIG)
    save('tgt_config', 'minimal', b'{"ports":[{"portid":1,"addr":{"trtype":"tcp","traddr":"::1",'
         b'"adrfam":"ipv6","trsvcid":"4421"},"subsystems":[]}],"subsystems":[]}')
    save('tgt_config', 'bad_path', CONFIG.replace(b'"/img"', b'"xnone"'))
    reqs = [
        b'{"jsonrpc":"2.0","id":1,"method":"list_subsystems"}',
        b'{"jsonrpc":"2.0","id":2,"method":"list_controllers"}',
        b'{"jsonrpc":"2.0","id":3,"method":"list_connections"}',
        b'{"jsonrpc":"2.0","id":4,"method":"stats"}',
        b'{"jsonrpc":"2.0","id":4,"method":"loop_stats"}',
        b'{"jsonrpc":"2.0","id":5,"method":"ns_add","params":{"nsid":2,"ram":"1M","block_size":4096}}',
        b'{"jsonrpc":"2.0","id":6,"method":"ns_add","params":{"subnqn":"nqn.2024-01.io.nvmx:fuzz","nsid":3,"null":1073741824}}',
        b'{"jsonrpc":"2.0","id":7,"method":"ns_add","params":{"nsid":4,"file":"/tmp/x","size":"4M"}}',
        b'{"jsonrpc":"2.0","id":8,"method":"ns_resize","params":{"nsid":2,"size":2097152}}',
        b'{"jsonrpc":"2.0","id":9,"method":"ns_remove","params":{"nsid":2}}',
        b'{"jsonrpc":"2.0","id":10,"method":"set_health","params":{"temperature":330,"available_spare":5,"critical_warning":1}}',
        b'{"jsonrpc":"2.0","id":11,"method":"fault_drop","params":{"opcode":2,"count":3,"admin":false}}',
        b'{"jsonrpc":"2.0","id":12,"method":"fault_delay","params":{"ms":100}}',
        b'{"jsonrpc":"2.0","id":13,"method":"fault_corrupt_digest","params":{"count":1}}',
        b'{"jsonrpc":"2.0","id":14,"method":"fault_close","params":{"cntlid":1}}',
        b'{"jsonrpc":"2.0","id":15,"method":"fault_clear"}',
        b'{"jsonrpc":"2.0","id":"x","method":"nope","params":[]}',
    ]
    save('tgt_control', 'all_methods', b'\n'.join(reqs) + b'\n')
    for i, r in enumerate(reqs):
        save('tgt_control', 'req%02d' % i, r)
    for i, t in enumerate([b'tcp://127.0.0.1:4420/nqn.2024-01.io.nvmx:fuzz', b'tcp://[::1]:4421',
                           b'tcp://10.0.2.2', b'pcie://0000:01:00.0',
                           b'trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:4420 subnqn:nqn.a',
                           b'trtype:PCIe traddr:0000:3b:00.0',
                           b'11111111-2222-3333-4444-555555555555', b'65535']):
        save('trid', 'seed%d' % i, t)


host_rx()
host_admin()
tgt_cmds()
text_seeds()
