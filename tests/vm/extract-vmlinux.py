#!/usr/bin/env python3
"""Extract the uncompressed ELF vmlinux from an x86 bzImage.

Booting the ELF directly (QEMU loads it through its PVH entry note) skips the
kernel's self-decompression, which under TCG costs several seconds.

The x86 boot protocol (Documentation/x86/boot.rst) gives the location of the
compressed payload in the setup header: setup_sects at 0x1f1, the "HdrS"
magic at 0x202, payload_offset at 0x248 and payload_length at 0x24c, both
relative to the protected-mode code, which starts at (setup_sects + 1) * 512.
The compression format is recognised by its magic bytes.

usage: extract-vmlinux.py BZIMAGE OUTPUT
"""
import bz2
import gzip
import lzma
import os
import shutil
import struct
import subprocess
import sys
import zlib


def fail(msg):
    sys.stderr.write("extract-vmlinux: %s\n" % msg)
    sys.exit(1)


def decompress(payload):
    if payload[:2] == b"\x1f\x8b":
        # gzip; the kernel appends the 4-byte size after the stream
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return d.decompress(payload)
    if payload[:6] == b"\xfd7zXZ\x00":
        # xz (with the x86 BCJ filter, declared in the stream header); the
        # trailing size word is left in unused_data
        d = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
        return d.decompress(payload)
    if payload[:3] == b"\x5d\x00\x00":
        d = lzma.LZMADecompressor(format=lzma.FORMAT_ALONE)
        return d.decompress(payload)
    if payload[:3] == b"BZh":
        return bz2.BZ2Decompressor().decompress(payload)
    if payload[:4] == b"\x28\xb5\x2f\xfd":
        return external(["zstd", "-dc"], payload)
    if payload[:4] == b"\x89LZO":
        return external(["lzop", "-dc"], payload)
    if payload[:4] == b"\x02\x21\x4c\x18":
        return external(["lz4", "-dc"], payload)
    fail("unknown compression (magic %s)" % payload[:6].hex())


def external(cmd, payload):
    if not shutil.which(cmd[0]):
        fail("%s is needed to decompress this kernel" % cmd[0])
    p = subprocess.run(cmd, input=payload, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    # zstd/lz4 complain about the appended size word but still emit the data
    if not p.stdout:
        fail("%s produced no output" % cmd[0])
    return p.stdout


def main():
    if len(sys.argv) != 3:
        fail("usage: extract-vmlinux.py BZIMAGE OUTPUT")
    with open(sys.argv[1], "rb") as f:
        img = f.read()
    if len(img) < 0x260 or img[0x202:0x206] != b"HdrS":
        fail("%s: not a bzImage (no HdrS setup header)" % sys.argv[1])
    setup_sects = img[0x1f1] or 4
    version = struct.unpack_from("<H", img, 0x206)[0]
    if version < 0x208:
        fail("boot protocol %#x has no payload fields" % version)
    off, length = struct.unpack_from("<II", img, 0x248)
    start = (setup_sects + 1) * 512 + off
    if length == 0 or start + length > len(img):
        fail("payload %#x+%#x outside the image" % (start, length))
    elf = decompress(img[start:start + length])
    if elf[:4] != b"\x7fELF":
        fail("decompressed payload is not an ELF image")
    tmp = sys.argv[2] + ".tmp.%d" % os.getpid()
    with open(tmp, "wb") as f:
        f.write(elf)
    os.rename(tmp, sys.argv[2])


if __name__ == "__main__":
    main()
