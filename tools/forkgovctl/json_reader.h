/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small strict JSON reader (RFC 8259) for input that may be hostile: the
 * OCI container state of "forkgovctl oci-hook".
 */
#ifndef _FORKGOVCTL_JSON_READER_H
#define _FORKGOVCTL_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>

#define JR_MAX_DEPTH	64

enum jr_type { JR_NULL, JR_BOOL, JR_NUMBER, JR_STRING, JR_ARRAY, JR_OBJECT };

struct jr_value {
	enum jr_type type;
	bool boolean;
	char *text;		/* string: decoded UTF-8; number: as written */
	char *key;		/* member of an object: its name, decoded */
	struct jr_value *child;	/* array or object: first element */
	struct jr_value *next;	/* next element of the parent */
};

int jr_parse(const char *text, size_t len, struct jr_value **out, char *err,
	     size_t errsize);
void jr_free(struct jr_value *v);
int jr_member(const struct jr_value *obj, const char *key,
	      const struct jr_value **out);
int jr_uint(const struct jr_value *v, unsigned long max, unsigned long *out);

#endif /* _FORKGOVCTL_JSON_READER_H */
