/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Monotonic time and deadlines, shared by the harness and the guest agent. */
#ifndef MHP_CLOCK_H
#define MHP_CLOCK_H

#include <stdint.h>
#include <time.h>

#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL

static inline int64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static inline int64_t clock_deadline_ms(int64_t ms)
{
	return clock_now_ns() + ms * NS_PER_MS;
}

/* Milliseconds left until @deadline_ns, clamped to [0, INT32_MAX] for poll().
 */
static inline int clock_poll_ms(int64_t deadline_ns)
{
	int64_t left = deadline_ns - clock_now_ns();

	if (left <= 0)
		return 0;
	left = (left + NS_PER_MS - 1) / NS_PER_MS;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

#endif
