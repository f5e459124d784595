#!/usr/bin/env python3
"""Open a vfio-pci device the way a userspace driver does and read its
registers: proves the guest's VFIO + IOMMU path works before a real driver
(nvmx's PCIe transport) uses it.

usage: vfio-probe.py BDF
Opens the container and the device's group, checks the group is viable,
selects the type-1 IOMMU, gets the device fd, reads BAR0's size and the NVMe
CAP and VS registers through the region, and maps then unmaps 64 KiB of
memory for DMA.  Prints "bar0_size=... cap=0x... vs=0x... dma_map=ok".
Constants: include/uapi/linux/vfio.h (_IO(';', 100 + n)).
"""
import ctypes
import fcntl
import mmap
import os
import struct
import sys


def io(nr):
    return (ord(";") << 8) | (100 + nr)


GET_API_VERSION, CHECK_EXTENSION, SET_IOMMU = io(0), io(1), io(2)
GROUP_GET_STATUS, GROUP_SET_CONTAINER, GROUP_GET_DEVICE_FD = io(3), io(4), io(6)
DEVICE_GET_REGION_INFO = io(8)
IOMMU_MAP_DMA, IOMMU_UNMAP_DMA = io(13), io(14)
TYPE1_IOMMU = 1
GROUP_FLAGS_VIABLE = 1


def main():
    bdf = sys.argv[1]
    if bdf.count(":") == 1:
        bdf = "0000:" + bdf
    group = os.path.basename(os.readlink("/sys/bus/pci/devices/%s/iommu_group" % bdf))
    cfd = os.open("/dev/vfio/vfio", os.O_RDWR)
    if fcntl.ioctl(cfd, GET_API_VERSION) != 0:
        sys.exit("vfio-probe: unexpected VFIO API version")
    if not fcntl.ioctl(cfd, CHECK_EXTENSION, TYPE1_IOMMU):
        sys.exit("vfio-probe: no type-1 IOMMU support")
    gfd = os.open("/dev/vfio/" + group, os.O_RDWR)
    st = bytearray(struct.pack("<II", 8, 0))
    fcntl.ioctl(gfd, GROUP_GET_STATUS, st)
    if not struct.unpack("<II", st)[1] & GROUP_FLAGS_VIABLE:
        sys.exit("vfio-probe: group %s not viable (all its devices must use vfio-pci)" % group)
    fcntl.ioctl(gfd, GROUP_SET_CONTAINER, bytearray(struct.pack("<i", cfd)))
    fcntl.ioctl(cfd, SET_IOMMU, TYPE1_IOMMU)
    dfd = fcntl.ioctl(gfd, GROUP_GET_DEVICE_FD, bytearray(bdf.encode() + b"\0"))
    # struct vfio_region_info { argsz, flags, index, cap_offset; u64 size, offset }
    ri = bytearray(struct.pack("<IIIIQQ", 32, 0, 0, 0, 0, 0))
    fcntl.ioctl(dfd, DEVICE_GET_REGION_INFO, ri)
    _, _, _, _, size, off = struct.unpack("<IIIIQQ", ri)
    cap = struct.unpack("<Q", os.pread(dfd, 8, off + 0x0))[0]
    vs = struct.unpack("<I", os.pread(dfd, 4, off + 0x8))[0]
    # DMA: struct vfio_iommu_type1_dma_map { argsz, flags; u64 vaddr, iova, size }
    buf = mmap.mmap(-1, 65536)
    vaddr = ctypes.addressof(ctypes.c_char.from_buffer(buf))
    fcntl.ioctl(cfd, IOMMU_MAP_DMA, bytearray(struct.pack("<IIQQQ", 32, 3, vaddr, 1 << 20, 65536)))
    # struct vfio_iommu_type1_dma_unmap { argsz, flags; u64 iova, size }
    um = bytearray(struct.pack("<IIQQ", 24, 0, 1 << 20, 65536))
    fcntl.ioctl(cfd, IOMMU_UNMAP_DMA, um)
    print("bar0_size=%d cap=0x%016x vs=0x%08x dma_map=ok" % (size, cap, vs))


if __name__ == "__main__":
    main()
