/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/percpu.h>, for module/ code built in userspace. */
#ifndef _FG_FAKE_LINUX_PERCPU_H
#define _FG_FAKE_LINUX_PERCPU_H

/*
 * Pure logic under unit test never touches per-CPU data: a declaration that
 * a shared header carries expands to nothing usable, so a use fails to build.
 */
#define DECLARE_PER_CPU(type, name)	struct fg_unit_no_percpu_##name
#define DEFINE_PER_CPU(type, name)	struct fg_unit_no_percpu_##name

#endif /* _FG_FAKE_LINUX_PERCPU_H */
