/* SPDX-License-Identifier: MIT */
/* fuzz.h: the libFuzzer entry point every fuzz_<target>.c defines. */
#ifndef GALEN_FUZZ_H
#define GALEN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
