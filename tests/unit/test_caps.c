// SPDX-License-Identifier: GPL-2.0-or-later
/* Block-size rule (boot memory <-> block size) and kernel capabilities
 * (expected placement, "unsupported by kernel"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "config/blocksize.h"
#include "run/caps.h"
#include "results/sidebyside.h"

#include <errno.h>
#include <string.h>

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

/* The two points measured (README, "Memory block sizes") on Debian 6.1 under
 * QEMU's pc. */
static void measured_points(void **state)
{
	assert_int_equal(blocksize_for_boot_mem(64 * GIB), 1 * GIB);
	assert_int_equal(blocksize_for_boot_mem(64512 * MIB), 2 * GIB);
	assert_int_equal(blocksize_for_boot_mem(65 * GIB), 2 * GIB);
	assert_int_equal(blocksize_for_boot_mem(512 * MIB), 128 * MIB);
	assert_int_equal(blocksize_for_boot_mem(62 * GIB), 128 * MIB);
}

static void pc_memory_end(void **state)
{
	assert_int_equal(blocksize_mem_end(512 * MIB), 512 * MIB);
	assert_int_equal(blocksize_mem_end(3 * GIB), 3 * GIB);
	/* From 3.5G on, 3G stay below 4G and the rest goes above. */
	assert_int_equal(blocksize_mem_end(4 * GIB), 5 * GIB);
	assert_int_equal(blocksize_mem_end(64 * GIB), 65 * GIB);
}

/* The boot memory chosen for each block size makes the kernel pick it. */
static void boot_mem_round_trip(void **state)
{
	for (uint64_t b = 128 * MIB; b <= 2 * GIB; b <<= 1) {
		uint64_t mem = 0;

		assert_int_equal(blocksize_boot_mem(b, 512 * MIB, &mem), 0);
		assert_int_equal(blocksize_for_boot_mem(mem), b);
		if (b > 128 * MIB)
			assert_true(blocksize_mem_end(mem) >=
				    BLOCKSIZE_LARGE_END);
	}
}

static void boot_mem_errors(void **state)
{
	uint64_t mem = 0;

	assert_int_equal(blocksize_boot_mem(384 * MIB, 512 * MIB, &mem),
			 -EINVAL);
	assert_int_equal(blocksize_boot_mem(4 * GIB, 512 * MIB, &mem), -EINVAL);
	assert_int_equal(blocksize_boot_mem(64 * MIB, 512 * MIB, &mem),
			 -EINVAL);
	/* 128M blocks cannot be had with boot memory ending past 64G. */
	assert_int_equal(blocksize_boot_mem(128 * MIB, 64 * GIB, &mem),
			 -ERANGE);
}

static void hello_with(struct agent_hello *h, const char *mom)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->kernel_release, sizeof(h->kernel_release),
		 "6.1.0-56-amd64");
	snprintf(h->memmap_on_memory, sizeof(h->memmap_on_memory), "%s", mom);
	h->block_size = 128 * MIB;
}

static void capabilities(void **state)
{
	struct agent_hello h;
	struct caps c;
	char why[256];

	hello_with(&h, "Y");
	caps_from_hello(&h, &c);
	assert_true(c.mom_exists && c.mom_enabled && !c.mom_force);
	assert_int_equal(
		caps_unsupported(&c, 1, h.kernel_release, why, sizeof(why)), 0);
	hello_with(&h, "force");
	caps_from_hello(&h, &c);
	assert_true(c.mom_enabled && c.mom_force);
	hello_with(&h, "N");
	caps_from_hello(&h, &c);
	assert_true(c.mom_exists && !c.mom_enabled);
	/* ram mode never needs the parameter. */
	assert_int_equal(
		caps_unsupported(&c, 0, h.kernel_release, why, sizeof(why)), 0);
	assert_int_equal(
		caps_unsupported(&c, 1, h.kernel_release, why, sizeof(why)), 1);
	hello_with(&h, "");
	caps_from_hello(&h, &c);
	assert_false(c.mom_exists);
	assert_int_equal(
		caps_unsupported(&c, 1, "5.10.0-30-amd64", why, sizeof(why)),
		1);
	assert_non_null(strstr(why, "unsupported by kernel 5.10.0-30-amd64"));
}

static void params_lookup(void **state)
{
	struct agent_hello h;

	hello_with(&h, "Y");
	h.nparams = 2;
	snprintf(h.params[0].name, sizeof(h.params[0].name), "online_policy");
	snprintf(h.params[0].value, sizeof(h.params[0].value), "contig-zones");
	snprintf(h.params[1].name, sizeof(h.params[1].name), "mhpbench_marker");
	snprintf(h.params[1].value, sizeof(h.params[1].value), "Y");
	assert_string_equal(caps_param(&h, "mhpbench_marker"), "Y");
	assert_null(caps_param(&h, "nope"));
}

/* A parameter that reads N means RAM placement even in self mode; 6.8
 * self-hosts per block, so any whole number of blocks. */
static void expectations(void **state)
{
	assert_false(kernel_expects_self_hosted("6.1.0-56-amd64", 0, 128, 128));
	assert_true(
		kernel_expects_self_hosted("6.1.0-56-amd64", 1, 1024, 1024));
	assert_false(
		kernel_expects_self_hosted("6.1.0-56-amd64", 1, 256, 1024));
	assert_true(kernel_expects_self_hosted("6.8.0", 1, 256, 1024));
	assert_false(kernel_expects_self_hosted("6.8.0", 0, 256, 1024));
	/* dax/kmem: the device's memmap_on_memory came with 6.8 */
	assert_false(kernel_expects_dax_self_hosted("6.1.0-57-amd64", 1));
	assert_false(kernel_expects_dax_self_hosted("6.7.12", 1));
	assert_true(kernel_expects_dax_self_hosted("6.8.0", 1));
	assert_true(kernel_expects_dax_self_hosted("6.12.118+deb12-amd64", 1));
	assert_false(kernel_expects_dax_self_hosted("6.12.118+deb12-amd64", 0));
	assert_false(kernel_expects_dax_self_hosted("garbage", 1));
}

/* A patch that adds a parameter shows in the kernels' comparison. */
static void params_differ(void **state)
{
	json_t *m = json_pack(
		"{s:[{s:s,s:{s:s,s:s}},{s:s,s:{s:s,s:s,s:s}},{s:s,s:{s:s}}]}",
		"boots", "kernel_label", "base", "hotplug_params",
		"memmap_on_memory", "Y", "online_policy", "contig-zones",
		"kernel_label", "marker", "hotplug_params", "memmap_on_memory",
		"Y", "online_policy", "contig-zones", "mhpbench_marker", "Y",
		"kernel_label", "base", "hotplug_params", "memmap_on_memory",
		"N");
	json_t *note = sidebyside_params_note(m), *same;

	assert_non_null(note);
	assert_string_equal(json_string_value(note),
			    "mhpbench_marker (base: -, marker: Y)");
	json_decref(note);
	/* One kernel: nothing to compare. */
	json_array_remove(json_object_get(m, "boots"), 1);
	same = sidebyside_params_note(m);
	assert_null(same);
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(measured_points),
		cmocka_unit_test(pc_memory_end),
		cmocka_unit_test(boot_mem_round_trip),
		cmocka_unit_test(boot_mem_errors),
		cmocka_unit_test(capabilities),
		cmocka_unit_test(params_lookup),
		cmocka_unit_test(expectations),
		cmocka_unit_test(params_differ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
