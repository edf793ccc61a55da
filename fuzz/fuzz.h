/* The libFuzzer entry point every target defines. Built with clang's
 * -fsanitize=fuzzer when BK_FUZZ is on; otherwise replay_main.c drives it
 * over the seed corpus and seeded mutations of it, as a CTest test. */
#ifndef BK_FUZZ_H
#define BK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
