// SPDX-License-Identifier: GPL-2.0-or-later
/* The libFuzzer entry point for one target: built once per target with
 * -DFUZZ_FN=fuzz_<target> (see the Makefile, target `fuzz`). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return FUZZ_FN(data, size);
}
