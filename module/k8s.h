/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Kubernetes pod and container a cgroup path belongs to.  Pure string
 * code: compiled into the module (reports, audit records) and into
 * forkgovctl (list, show, JSON, Prometheus).
 */
#ifndef _FORKGOV_K8S_H
#define _FORKGOV_K8S_H

#include <linux/types.h>

/**
 * struct fg_k8s - where a cgroup lies in kubelet's layout
 * @pod_uid:      the pod's uid, with its dashes; "" when not a pod's cgroup
 * @qos:          "guaranteed", "burstable" or "besteffort"
 * @container_id: the container runtime's id (hex); "" at the pod's level
 * @runtime:      "cri-containerd", "crio", "docker"; "" when the path does
 *                not say (the cgroupfs driver's bare ids)
 *
 * Every field keeps to [0-9a-z-], so it needs no escaping anywhere.
 */
struct fg_k8s {
	char pod_uid[65];
	char qos[12];
	char container_id[65];
	char runtime[16];
};

int fg_k8s_parse(const char *cgroup, struct fg_k8s *k);

#endif /* _FORKGOV_K8S_H */
