#!/usr/bin/env python3
"""Open a vfio-pci NVMe controller the way a userspace driver does and, with
--identify, run one admin command through it: proves the guest's VFIO path
(register access, DMA through the emulated IOMMU, MSI-X through interrupt
remapping) works before a real driver (nvmx's PCIe transport) relies on it.

usage: vfio-probe.py [--identify] BDF

Always: container, group viability, type-1 IOMMU, device fd, BAR0 region;
reads CAP and VS; maps and unmaps 64 KiB for DMA.  With --identify: enables
bus mastering, disables the controller, sets up a 2-entry admin queue pair in
DMA memory, MSI-X vector 0 on an eventfd, enables the controller, submits
Identify Controller (CNS 1), waits for the interrupt and the completion, and
reads serial and model number from the data; then disables the controller.
Prints key=value pairs on one line.
Constants: include/uapi/linux/vfio.h; registers and commands: NVMe base
specification 2.0, 3.1.3 (controller registers), 5.17 (Identify).
"""
import ctypes
import fcntl
import mmap
import os
import select
import struct
import sys
import time


def io(nr):
    return (ord(";") << 8) | (100 + nr)


GET_API_VERSION, CHECK_EXTENSION, SET_IOMMU = io(0), io(1), io(2)
GROUP_GET_STATUS, GROUP_SET_CONTAINER, GROUP_GET_DEVICE_FD = io(3), io(4), io(6)
DEVICE_GET_REGION_INFO, DEVICE_SET_IRQS = io(8), io(10)
IOMMU_MAP_DMA, IOMMU_UNMAP_DMA = io(13), io(14)
TYPE1_IOMMU = 1
GROUP_FLAGS_VIABLE = 1
BAR0_INDEX, CONFIG_INDEX, MSIX_INDEX = 0, 7, 2
IRQ_DATA_EVENTFD, IRQ_ACTION_TRIGGER = 1 << 2, 1 << 5
DMA_READ_WRITE = 3

REG_CAP, REG_VS, REG_CC, REG_CSTS, REG_AQA, REG_ASQ, REG_ACQ = 0, 8, 0x14, 0x1c, 0x24, 0x28, 0x30


def die(msg):
    sys.stderr.write("vfio-probe: %s\n" % msg)
    sys.exit(1)


class Device:
    def __init__(self, bdf):
        group = os.path.basename(os.readlink("/sys/bus/pci/devices/%s/iommu_group" % bdf))
        self.cfd = os.open("/dev/vfio/vfio", os.O_RDWR)
        if fcntl.ioctl(self.cfd, GET_API_VERSION) != 0:
            die("unexpected VFIO API version")
        if not fcntl.ioctl(self.cfd, CHECK_EXTENSION, TYPE1_IOMMU):
            die("no type-1 IOMMU support")
        self.gfd = os.open("/dev/vfio/" + group, os.O_RDWR)
        st = bytearray(struct.pack("<II", 8, 0))
        fcntl.ioctl(self.gfd, GROUP_GET_STATUS, st)
        if not struct.unpack("<II", st)[1] & GROUP_FLAGS_VIABLE:
            die("group %s not viable (all its devices must use vfio-pci)" % group)
        fcntl.ioctl(self.gfd, GROUP_SET_CONTAINER, bytearray(struct.pack("<i", self.cfd)))
        fcntl.ioctl(self.cfd, SET_IOMMU, TYPE1_IOMMU)
        self.dfd = fcntl.ioctl(self.gfd, GROUP_GET_DEVICE_FD, bytearray(bdf.encode() + b"\0"))
        self.bar0_size, self.bar0 = self.region(BAR0_INDEX)
        _, self.config = self.region(CONFIG_INDEX)

    def region(self, index):
        # struct vfio_region_info { argsz, flags, index, cap_offset; u64 size, offset }
        ri = bytearray(struct.pack("<IIIIQQ", 32, 0, index, 0, 0, 0))
        fcntl.ioctl(self.dfd, DEVICE_GET_REGION_INFO, ri)
        return struct.unpack("<IIIIQQ", ri)[4:6]

    def r32(self, reg):
        return struct.unpack("<I", os.pread(self.dfd, 4, self.bar0 + reg))[0]

    def r64(self, reg):
        return struct.unpack("<Q", os.pread(self.dfd, 8, self.bar0 + reg))[0]

    def w32(self, reg, v):
        os.pwrite(self.dfd, struct.pack("<I", v), self.bar0 + reg)

    def w64(self, reg, v):
        # two 32-bit writes, low first (some controllers reject 64-bit MMIO)
        self.w32(reg, v & 0xffffffff)
        self.w32(reg + 4, v >> 32)

    def dma_map(self, buf, iova):
        vaddr = ctypes.addressof(ctypes.c_char.from_buffer(buf))
        # struct vfio_iommu_type1_dma_map { argsz, flags; u64 vaddr, iova, size }
        fcntl.ioctl(self.cfd, IOMMU_MAP_DMA,
                    bytearray(struct.pack("<IIQQQ", 32, DMA_READ_WRITE, vaddr, iova, len(buf))))

    def dma_unmap(self, iova, size):
        # struct vfio_iommu_type1_dma_unmap { argsz, flags; u64 iova, size }
        fcntl.ioctl(self.cfd, IOMMU_UNMAP_DMA, bytearray(struct.pack("<IIQQ", 24, 0, iova, size)))

    def bus_master(self):
        cmd = struct.unpack("<H", os.pread(self.dfd, 2, self.config + 4))[0]
        os.pwrite(self.dfd, struct.pack("<H", cmd | 0x6), self.config + 4)  # memory + bus master

    def msix_eventfd(self, vector):
        efd = os.eventfd(0, os.EFD_NONBLOCK)
        # struct vfio_irq_set { argsz, flags, index, start, count; u8 data[] }
        s = struct.pack("<IIIIIi", 24, IRQ_DATA_EVENTFD | IRQ_ACTION_TRIGGER, MSIX_INDEX, vector, 1, efd)
        fcntl.ioctl(self.dfd, DEVICE_SET_IRQS, bytearray(s))
        return efd

    def wait_ready(self, want, cap):
        deadline = time.monotonic() + max(((cap >> 24) & 0xff) * 0.5, 1.0)
        while time.monotonic() < deadline:
            csts = self.r32(REG_CSTS)
            if csts & 2:
                die("controller fatal status (CSTS.CFS)")
            if (csts & 1) == want:
                return
            time.sleep(0.001)
        die("timed out waiting for CSTS.RDY=%d" % want)


def identify(dev, cap):
    page = 4096
    mem = mmap.mmap(-1, 3 * page)  # ASQ, ACQ, identify data
    iova = 1 << 20
    dev.dma_map(mem, iova)
    asq, acq, data = iova, iova + page, iova + 2 * page
    dev.bus_master()
    dev.w32(REG_CC, 0)
    dev.wait_ready(0, cap)
    qsize = 2
    dev.w32(REG_AQA, ((qsize - 1) << 16) | (qsize - 1))
    dev.w64(REG_ASQ, asq)
    dev.w64(REG_ACQ, acq)
    efd = dev.msix_eventfd(0)
    # CC: EN, CSS NVM (0), MPS 4 KiB (0), AMS round robin, IOSQES 6, IOCQES 4
    dev.w32(REG_CC, 1 | (6 << 16) | (4 << 20))
    dev.wait_ready(1, cap)
    # Identify Controller: opcode 0x06, CID 0x1234, PRP1 = data, CDW10 CNS 1
    sqe = struct.pack("<IIQQQQIIIIII", 0x06 | (0x1234 << 16), 0, 0, 0, data, 0, 1, 0, 0, 0, 0, 0)
    mem[0:64] = sqe
    dstrd = (cap >> 32) & 0xf
    dev.w32(0x1000, 1)  # SQ 0 tail doorbell
    r, _, _ = select.select([efd], [], [], 10)
    irq = bool(r)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        dw2, dw3 = struct.unpack_from("<II", mem, page + 8)
        if (dw3 >> 16) & 1:  # phase tag of the first pass
            break
        time.sleep(0.001)
    else:
        die("no completion for Identify")
    cid, status = dw3 & 0xffff, (dw3 >> 17) & 0x7fff
    if cid != 0x1234 or status != 0:
        die("Identify completed with cid %#x status %#x" % (cid, status))
    dev.w32(0x1000 + (4 << dstrd), 1)  # CQ 0 head doorbell
    serial = bytes(mem[2 * page + 4:2 * page + 24]).decode(errors="replace").strip()
    model = bytes(mem[2 * page + 24:2 * page + 64]).decode(errors="replace").strip()
    dev.w32(REG_CC, 0)
    dev.wait_ready(0, cap)
    dev.dma_unmap(iova, 3 * page)
    return irq, serial, model


def main():
    args = sys.argv[1:]
    do_identify = "--identify" in args
    args = [a for a in args if a != "--identify"]
    if len(args) != 1:
        die("usage: vfio-probe.py [--identify] BDF")
    bdf = args[0]
    if bdf.count(":") == 1:
        bdf = "0000:" + bdf
    dev = Device(bdf)
    cap, vs = dev.r64(REG_CAP), dev.r32(REG_VS)
    buf = mmap.mmap(-1, 65536)
    dev.dma_map(buf, 1 << 30)
    dev.dma_unmap(1 << 30, 65536)
    out = "bar0_size=%d cap=0x%016x vs=0x%08x dma_map=ok" % (dev.bar0_size, cap, vs)
    if do_identify:
        irq, serial, model = identify(dev, cap)
        out += " msix=%s serial=%s model=%s" % ("ok" if irq else "none", serial.replace(" ", "_"),
                                                 model.replace(" ", "_"))
    print(out)


if __name__ == "__main__":
    main()
