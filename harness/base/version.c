// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/version.h"
#include "gitrev.h"

const char *version_git_rev(void)
{
	return MHP_GIT_REV;
}
