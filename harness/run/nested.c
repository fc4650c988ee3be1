// SPDX-License-Identifier: GPL-2.0-or-later
/* Nested virtualisation, detected (nested.h). */
#include "run/nested.h"

#include <stdio.h>
#include <string.h>

/* Whether a "flags" line of @cpuinfo has the word @flag; -1: unreadable. */
static int cpu_flag(const char *cpuinfo, const char *flag)
{
	char line[4096];
	int found = -1;
	FILE *f = fopen(cpuinfo, "r");

	if (!f)
		return -1;
	while (found < 1 && fgets(line, sizeof(line), f)) {
		char *tok, *save;

		if (strncmp(line, "flags", 5))
			continue;
		found = 0;
		for (tok = strtok_r(strchr(line, ':') ? strchr(line, ':') + 1
						      : line,
				    " \t\n", &save);
		     tok; tok = strtok_r(NULL, " \t\n", &save))
			if (!strcmp(tok, flag))
				found = 1;
	}
	fclose(f);
	return found;
}

/* The first line of @path, or "" when it cannot be read. */
static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

json_t *nested_facts(const char *cpuinfo, const char *sys)
{
	static const char *const mods[] = {"kvm_amd", "kvm_intel"};
	char path[512], param[32] = "", why[512];
	const char *mod = NULL;
	int hv = cpu_flag(cpuinfo, "hypervisor");

	for (size_t i = 0; i < 2 && !mod; i++) {
		snprintf(path, sizeof(path), "%s/module/%s/parameters/nested",
			 sys, mods[i]);
		first_line(path, param, sizeof(param));
		if (param[0])
			mod = mods[i];
	}
	if (hv < 0)
		snprintf(why, sizeof(why),
			 "%s cannot be read: not known whether this host is "
			 "a virtual machine",
			 cpuinfo);
	else if (hv)
		snprintf(why, sizeof(why),
			 "the host's CPU has the hypervisor flag (%s): this "
			 "host is itself a virtual machine, so a KVM guest "
			 "here is nested and its timings are not those of "
			 "bare metal",
			 cpuinfo);
	else
		snprintf(why, sizeof(why),
			 "no hypervisor flag in %s: a bare-metal host",
			 cpuinfo);
	return json_pack("{s:b,s:b,s:b,s:s?,s:s?,s:s}", "nested", hv == 1,
			 "representative", hv == 0, "hypervisor_flag", hv == 1,
			 "kvm_module", mod, "kvm_nested_param",
			 param[0] ? param : NULL, "why", why);
}
