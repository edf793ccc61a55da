# CMake toolchain file: cross-compile for Debian / Raspberry Pi OS arm64 on a
# Debian amd64 host with gcc-aarch64-linux-gnu and Debian's arm64 -dev
# packages (multiarch, installed by scripts/cross-arm64).
#
#   cmake -S . -B build/arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#
# Test binaries run through qemu-aarch64 (CMAKE_CROSSCOMPILING_EMULATOR), so
# `ctest` works on the host for every test whose command is a CMake target.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(BK_CROSS_TRIPLET aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${BK_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${BK_CROSS_TRIPLET}-g++)

# Debian multiarch: arm64 libraries live in /usr/lib/aarch64-linux-gnu, and
# the headers in /usr/include are shared between architectures, with the
# arch-specific ones in /usr/include/aarch64-linux-gnu (the cross gcc
# searches those itself). pkg-config must see only arm64 .pc files.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${BK_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
set(CMAKE_LIBRARY_ARCHITECTURE ${BK_CROSS_TRIPLET})

# Find programs on the host, libraries and headers for the target only.
set(CMAKE_FIND_ROOT_PATH /usr/${BK_CROSS_TRIPLET} /usr/lib/${BK_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# -L /: the arm64 loader and libc are the multiarch libc6:arm64 that the
# :arm64 -dev packages pull in (/lib/ld-linux-aarch64.so.1 and
# /lib/aarch64-linux-gnu), the same place as every other arm64 library.
# Not -L /usr/aarch64-linux-gnu: that takes ld.so from libc6-arm64-cross
# (2.36-8) but libc.so.6 from libc6:arm64 (2.36-9+deb12uN), a mismatched
# pair under which every fork()ed child spins forever.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /)
# BK_CROSS_PRIVATE: arm64 libraries unpacked beside the build (those Debian
# does not package multi-arch; scripts/cross-arm64). The tests find them
# through the guest's LD_LIBRARY_PATH.
if(BK_CROSS_PRIVATE)
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L / -E
      LD_LIBRARY_PATH=${BK_CROSS_PRIVATE}/usr/lib)
endif()
