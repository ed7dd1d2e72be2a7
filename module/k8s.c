// SPDX-License-Identifier: GPL-2.0
/*
 * Which Kubernetes pod and container a cgroup path belongs to.  kubelet
 * lays pods out in one of two ways, by its cgroup driver:
 *
 *   systemd:  .../kubepods.slice/kubepods-burstable.slice/
 *                 kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope
 *             .../kubepods.slice/kubepods-pod<uid>.slice/...  (Guaranteed)
 *             where <uid> has its '-' written as '_'
 *   cgroupfs: .../kubepods/burstable/pod<uid>/<id>
 *             .../kubepods/pod<uid>/<id>                      (Guaranteed)
 *
 * The first component from the root that names the kubepods slice (or
 * directory) decides.  What lies below a container's cgroup is the
 * container's own and cannot change the answer: a container that creates
 * cgroups named like pods inside its cgroup is still attributed to its pod.
 *
 * The parser works on slices of the path, with no buffer of its own, so
 * that the kernel can call it with little stack.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "k8s.h"

struct comp {
	const char *s;
	size_t len;
};

/* Runtime prefixes of a container's scope (systemd) or directory. */
static const char * const k8s_runtimes[] = {
	"cri-containerd", "crio", "docker",
};

static const char * const k8s_qos[] = { "burstable", "besteffort" };

/* The next component of *@p; false at the end of the path. */
static bool next_comp(const char **p, struct comp *c)
{
	const char *s = *p;

	while (*s == '/')
		s++;
	if (!*s)
		return false;
	c->s = s;
	c->len = strcspn(s, "/");
	*p = s + c->len;
	return true;
}

/* Does @c start with @lit?  Then step past it. */
static bool eat(struct comp *c, const char *lit)
{
	size_t n = strlen(lit);

	if (c->len < n || memcmp(c->s, lit, n))
		return false;
	c->s += n;
	c->len -= n;
	return true;
}

/* Does @c end with @lit?  Then drop it. */
static bool eat_tail(struct comp *c, const char *lit)
{
	size_t n = strlen(lit);

	if (c->len < n || memcmp(c->s + c->len - n, lit, n))
		return false;
	c->len -= n;
	return true;
}

static bool all_of(const struct comp *c, const char *set)
{
	size_t i;

	if (!c->len)
		return false;
	for (i = 0; i < c->len; i++)
		if (!strchr(set, c->s[i]))
			return false;
	return true;
}

/* A pod uid as kubelet writes it: a UUID, or a static pod's hash. */
static bool set_uid(struct fg_k8s *k, const struct comp *c, bool systemd)
{
	size_t i;

	if (c->len >= sizeof(k->pod_uid) ||
	    !all_of(c, systemd ? "0123456789abcdef_" : "0123456789abcdef-"))
		return false;
	for (i = 0; i < c->len; i++)
		k->pod_uid[i] = c->s[i] == '_' ? '-' : c->s[i];
	k->pod_uid[c->len] = '\0';
	return true;
}

/* "<runtime>-<hex>" with a known runtime, or bare hex (cgroupfs). */
static void set_container(struct fg_k8s *k, struct comp c)
{
	const char *runtime = "";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(k8s_runtimes); i++) {
		struct comp id = c;

		if (eat(&id, k8s_runtimes[i]) && eat(&id, "-")) {
			runtime = k8s_runtimes[i];
			c = id;
			break;
		}
	}
	/* conmon-<id>, a name that is no id: the pod, no container */
	if (c.len < 12 || c.len >= sizeof(k->container_id) ||
	    !all_of(&c, "0123456789abcdef"))
		return;
	memcpy(k->container_id, c.s, c.len);
	k->container_id[c.len] = '\0';
	snprintf(k->runtime, sizeof(k->runtime), "%s", runtime);
}

/*
 * Below "<prefix>.slice" of the systemd driver: "<prefix>-<qos>.slice"
 * then "<prefix>-<qos>-pod<uid>.slice", or "<prefix>-pod<uid>.slice".
 */
static int parse_systemd(const char *p, struct comp prefix, struct fg_k8s *k)
{
	struct comp c, t;
	const char *qos = NULL;
	size_t i;

	if (!next_comp(&p, &c))
		return -ENOENT;
	for (i = 0; i < ARRAY_SIZE(k8s_qos); i++) {
		t = c;
		if (t.len == prefix.len + 1 + strlen(k8s_qos[i]) + 6 &&
		    !memcmp(t.s, prefix.s, prefix.len) &&
		    t.s[prefix.len] == '-' &&
		    !memcmp(t.s + prefix.len + 1, k8s_qos[i],
			    strlen(k8s_qos[i])) &&
		    eat_tail(&t, ".slice")) {
			qos = k8s_qos[i];
			if (!next_comp(&p, &c))
				return -ENOENT;
			break;
		}
	}
	if (c.len <= prefix.len || memcmp(c.s, prefix.s, prefix.len))
		return -ENOENT;
	c.s += prefix.len;
	c.len -= prefix.len;
	if (!eat(&c, "-") || (qos && (!eat(&c, qos) || !eat(&c, "-"))) ||
	    !eat(&c, "pod") || !eat_tail(&c, ".slice") || !set_uid(k, &c, true))
		return -ENOENT;
	snprintf(k->qos, sizeof(k->qos), "%s", qos ?: "guaranteed");
	if (next_comp(&p, &c) && eat_tail(&c, ".scope"))
		set_container(k, c);
	return 0;
}

/* Below "kubepods" of the cgroupfs driver: [<qos>/]pod<uid>[/<id>]. */
static int parse_cgroupfs(const char *p, struct fg_k8s *k)
{
	const char *qos = NULL;
	struct comp c;
	size_t i;

	if (!next_comp(&p, &c))
		return -ENOENT;
	for (i = 0; i < ARRAY_SIZE(k8s_qos); i++) {
		if (c.len == strlen(k8s_qos[i]) &&
		    !memcmp(c.s, k8s_qos[i], c.len)) {
			qos = k8s_qos[i];
			if (!next_comp(&p, &c))
				return -ENOENT;
			break;
		}
	}
	if (!eat(&c, "pod") || !set_uid(k, &c, false))
		return -ENOENT;
	snprintf(k->qos, sizeof(k->qos), "%s", qos ?: "guaranteed");
	if (next_comp(&p, &c))
		set_container(k, c);
	return 0;
}

/**
 * fg_k8s_parse - the pod and container of a cgroup path
 * @cgroup: a path from the root of the cgroup v2 hierarchy, or NULL
 * @k:      filled in; all empty when the path is no pod's
 *
 * Return: 0 when @cgroup is a pod's cgroup or lies below one (the
 * container fields stay empty at the pod's own level), -ENOENT otherwise.
 */
int fg_k8s_parse(const char *cgroup, struct fg_k8s *k)
{
	const char *p = cgroup;
	struct comp c;
	int ret = -ENOENT;

	memset(k, 0, sizeof(*k));
	while (p && next_comp(&p, &c)) {
		if (c.len == 8 && !memcmp(c.s, "kubepods", 8)) {
			ret = parse_cgroupfs(p, k);
			break;
		}
		/* kubepods.slice, or kubelet-kubepods.slice and the like */
		if (c.len >= 14 &&
		    !memcmp(c.s + c.len - 14, "kubepods.slice", 14)) {
			c.len -= 6;
			ret = parse_systemd(p, c, k);
			break;
		}
	}
	if (ret)
		memset(k, 0, sizeof(*k));
	return ret;
}
