// SPDX-License-Identifier: GPL-2.0
/*
 * A strict JSON reader, for the OCI state that "forkgovctl oci-hook" gets
 * on its standard input.  It accepts RFC 8259 and nothing else: valid UTF-8
 * only (no overlong forms, no surrogates), no raw control characters in
 * strings, no lone surrogate escapes, no \u0000 (values become C strings),
 * at most JR_MAX_DEPTH levels of nesting, and nothing but blanks after the
 * value.  jr_member() refuses a name given twice in an object, since two
 * readers could pick different ones.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"

struct jr {
	const unsigned char *s, *end, *start;
	char *err;
	size_t errsize;
	int depth;
};

static int fail(struct jr *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(j->err, j->errsize, "byte %zu: ", (size_t)(j->s - j->start));
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < j->errsize)
		vsnprintf(j->err + n, j->errsize - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void skip_ws(struct jr *j)
{
	while (j->s < j->end && (*j->s == ' ' || *j->s == '\t' ||
				 *j->s == '\n' || *j->s == '\r'))
		j->s++;
}

/* A growing byte buffer for decoded strings. */
struct buf {
	char *p;
	size_t n, cap;
};

static int put(struct buf *b, const void *src, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *np;

		while (b->n + n + 1 > cap)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return -ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, src, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

static int put_utf8(struct buf *b, uint32_t c)
{
	unsigned char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = 0xc0 | (c >> 6);
		u[1] = 0x80 | (c & 0x3f);
		n = 2;
	} else if (c < 0x10000) {
		u[0] = 0xe0 | (c >> 12);
		u[1] = 0x80 | ((c >> 6) & 0x3f);
		u[2] = 0x80 | (c & 0x3f);
		n = 3;
	} else {
		u[0] = 0xf0 | (c >> 18);
		u[1] = 0x80 | ((c >> 12) & 0x3f);
		u[2] = 0x80 | ((c >> 6) & 0x3f);
		u[3] = 0x80 | (c & 0x3f);
		n = 4;
	}
	return put(b, u, n);
}

/* Length of the valid UTF-8 sequence at s (a byte >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *s, const unsigned char *end)
{
	uint32_t c;
	size_t n, i;

	if (*s >= 0xc2 && *s <= 0xdf) {
		n = 2;
		c = *s & 0x1f;
	} else if (*s >= 0xe0 && *s <= 0xef) {
		n = 3;
		c = *s & 0x0f;
	} else if (*s >= 0xf0 && *s <= 0xf4) {
		n = 4;
		c = *s & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - s) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

static int hex4(struct jr *j, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	if (j->end - j->s < 4)
		return fail(j, "short \\u escape");
	for (i = 0; i < 4; i++) {
		unsigned char c = j->s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return fail(j, "bad \\u escape");
	}
	j->s += 4;
	*out = v;
	return 0;
}

static int parse_escape(struct jr *j, struct buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	uint32_t c, lo;
	int ret;

	if (j->s >= j->end)
		return fail(j, "unterminated string");
	e = memchr(from, *j->s, sizeof(from) - 1);
	if (e) {
		j->s++;
		return put(b, &to[e - from], 1);
	}
	if (*j->s++ != 'u')
		return fail(j, "bad escape in a string");
	ret = hex4(j, &c);
	if (ret)
		return ret;
	if (c >= 0xdc00 && c <= 0xdfff)
		return fail(j, "lone low surrogate escape");
	if (c >= 0xd800 && c <= 0xdbff) {
		if (j->end - j->s < 2 || j->s[0] != '\\' || j->s[1] != 'u')
			return fail(j, "lone high surrogate escape");
		j->s += 2;
		ret = hex4(j, &lo);
		if (ret)
			return ret;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(j, "bad surrogate pair");
		c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!c)
		return fail(j, "\\u0000 in a string");
	return put_utf8(b, c);
}

static int parse_string(struct jr *j, char **out)
{
	struct buf b = { 0 };
	size_t n;
	int ret = put(&b, "", 0);

	j->s++;	/* the quote */
	while (!ret) {
		if (j->s >= j->end) {
			ret = fail(j, "unterminated string");
		} else if (*j->s == '"') {
			j->s++;
			*out = b.p;
			return 0;
		} else if (*j->s == '\\') {
			j->s++;
			ret = parse_escape(j, &b);
		} else if (*j->s < 0x20) {
			ret = fail(j, "control character 0x%02x in a string",
				   *j->s);
		} else if (*j->s < 0x80) {
			ret = put(&b, j->s++, 1);
		} else {
			n = utf8_len(j->s, j->end);
			if (!n)
				ret = fail(j, "invalid UTF-8 in a string");
			else
				ret = put(&b, j->s, n);
			j->s += n;
		}
	}
	free(b.p);
	return ret;
}

static bool digit(const struct jr *j)
{
	return j->s < j->end && *j->s >= '0' && *j->s <= '9';
}

static int parse_number(struct jr *j, struct jr_value *v)
{
	const unsigned char *start = j->s;

	if (j->s < j->end && *j->s == '-')
		j->s++;
	if (!digit(j))
		return fail(j, "bad number");
	if (*j->s == '0')
		j->s++;
	else
		while (digit(j))
			j->s++;
	if (j->s < j->end && *j->s == '.') {
		j->s++;
		if (!digit(j))
			return fail(j, "bad number");
		while (digit(j))
			j->s++;
	}
	if (j->s < j->end && (*j->s == 'e' || *j->s == 'E')) {
		j->s++;
		if (j->s < j->end && (*j->s == '+' || *j->s == '-'))
			j->s++;
		if (!digit(j))
			return fail(j, "bad number");
		while (digit(j))
			j->s++;
	}
	v->type = JR_NUMBER;
	v->text = strndup((const char *)start, j->s - start);
	return v->text ? 0 : -ENOMEM;
}

static int literal(struct jr *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->s) < n || memcmp(j->s, word, n))
		return fail(j, "unexpected character");
	j->s += n;
	return 0;
}

static int value(struct jr *j, struct jr_value *v);

static int container(struct jr *j, struct jr_value *v, bool object)
{
	char close = object ? '}' : ']';
	struct jr_value **tail = &v->child, *e;
	int ret;

	if (++j->depth > JR_MAX_DEPTH)
		return fail(j, "nested deeper than %d levels", JR_MAX_DEPTH);
	v->type = object ? JR_OBJECT : JR_ARRAY;
	j->s++;
	skip_ws(j);
	if (j->s < j->end && *j->s == close) {
		j->s++;
		j->depth--;
		return 0;
	}
	for (;;) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
		*tail = e;
		tail = &e->next;
		skip_ws(j);
		if (object) {
			if (j->s >= j->end || *j->s != '"')
				return fail(j, "expected a member name");
			ret = parse_string(j, &e->key);
			if (ret)
				return ret;
			skip_ws(j);
			if (j->s >= j->end || *j->s != ':')
				return fail(j, "expected ':'");
			j->s++;
		}
		ret = value(j, e);
		if (ret)
			return ret;
		skip_ws(j);
		if (j->s < j->end && *j->s == ',') {
			j->s++;
			continue;
		}
		if (j->s < j->end && *j->s == close) {
			j->s++;
			j->depth--;
			return 0;
		}
		return fail(j, "expected ',' or '%c'", close);
	}
}

static int value(struct jr *j, struct jr_value *v)
{
	skip_ws(j);
	if (j->s >= j->end)
		return fail(j, "unexpected end of input");
	switch (*j->s) {
	case '{':
		return container(j, v, true);
	case '[':
		return container(j, v, false);
	case '"':
		v->type = JR_STRING;
		return parse_string(j, &v->text);
	case 't':
		v->type = JR_BOOL;
		v->boolean = true;
		return literal(j, "true");
	case 'f':
		v->type = JR_BOOL;
		return literal(j, "false");
	case 'n':
		v->type = JR_NULL;
		return literal(j, "null");
	default:
		return parse_number(j, v);
	}
}

/**
 * jr_parse - parse one JSON text
 * @text: the bytes, @len of them (NUL bytes are just invalid input)
 * @out:  the value, to free with jr_free() (also set on failure, or NULL)
 * @err:  "byte N: reason" on failure
 *
 * Return: 0, -EINVAL for anything that is not one valid JSON text, -ENOMEM.
 */
int jr_parse(const char *text, size_t len, struct jr_value **out, char *err,
	     size_t errsize)
{
	struct jr j = {
		.s = (const unsigned char *)text,
		.start = (const unsigned char *)text,
		.end = (const unsigned char *)text + len,
		.err = err,
		.errsize = errsize,
	};
	int ret;

	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	ret = value(&j, *out);
	if (!ret) {
		skip_ws(&j);
		if (j.s != j.end)
			ret = fail(&j, "more after the JSON value");
	}
	if (ret == -ENOMEM)
		snprintf(err, errsize, "out of memory");
	if (ret) {
		jr_free(*out);
		*out = NULL;
	}
	return ret;
}

void jr_free(struct jr_value *v)
{
	struct jr_value *next;

	while (v) {
		next = v->next;
		jr_free(v->child);
		free(v->text);
		free(v->key);
		free(v);
		v = next;
	}
}

/**
 * jr_member - the member @key of the object @obj
 *
 * Return: 0 and *@out, -ENOENT when there is none, -EEXIST when the name
 * is there twice, -EINVAL when @obj is not an object.
 */
int jr_member(const struct jr_value *obj, const char *key,
	      const struct jr_value **out)
{
	const struct jr_value *e;

	*out = NULL;
	if (!obj || obj->type != JR_OBJECT)
		return -EINVAL;
	for (e = obj->child; e; e = e->next) {
		if (strcmp(e->key, key))
			continue;
		if (*out)
			return -EEXIST;
		*out = e;
	}
	return *out ? 0 : -ENOENT;
}

/*
 * A number written as a plain non-negative integer (no sign, fraction or
 * exponent) up to @max.  Return: 0, -EINVAL or -ERANGE.
 */
int jr_uint(const struct jr_value *v, unsigned long max, unsigned long *out)
{
	unsigned long n = 0;
	const char *p;

	if (v->type != JR_NUMBER || !strchr("0123456789", v->text[0]))
		return -EINVAL;
	for (p = v->text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if ((unsigned long)(*p - '0') > max ||
		    n > (max - (*p - '0')) / 10)
			return -ERANGE;
		n = n * 10 + (*p - '0');
	}
	*out = n;
	return 0;
}
