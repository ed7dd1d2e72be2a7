/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/kernel.h>, for module/ code built in userspace. */
#ifndef _FG_FAKE_LINUX_KERNEL_H
#define _FG_FAKE_LINUX_KERNEL_H

#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/types.h>
#include <stdio.h>		/* snprintf(), as <linux/sprintf.h> */

#ifndef ARRAY_SIZE		/* kselftest.h has its own */
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define min(a, b)		({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)		({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
/* Each type argument is used once, so these have no hidden side effects. */
#define min_t(t, a, b)		({ t _m[2] = { (a), (b) }; _m[0] < _m[1] ? _m[0] : _m[1]; })
#define max_t(t, a, b)		({ t _m[2] = { (a), (b) }; _m[0] > _m[1] ? _m[0] : _m[1]; })
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi)	({ t _c[3] = { (v), (lo), (hi) };		\
				   _c[0] < _c[1] ? _c[1] : _c[0] > _c[2] ? _c[2] : _c[0]; })
#define DIV_ROUND_UP(n, d)	({ typeof(d) _d = (d); ((n) + _d - 1) / _d; })

#endif /* _FG_FAKE_LINUX_KERNEL_H */
