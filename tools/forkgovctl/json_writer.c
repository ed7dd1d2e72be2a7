// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer for forkgovctl.
 */
#include <math.h>
#include <stdlib.h>

#include "json_writer.h"

#define JSONW_DEPTH_MAX	32

struct json_writer {
	FILE *out;
	unsigned int depth;
	bool pretty;
	/* per nesting level: nothing written yet at this level */
	bool first[JSONW_DEPTH_MAX];
	bool after_name;
};

json_writer_t *jsonw_new(FILE *f)
{
	json_writer_t *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->out = f;
	w->first[0] = true;
	return w;
}

void jsonw_destroy(json_writer_t **self)
{
	if (!*self)
		return;
	if (!(*self)->first[0])
		fputc('\n', (*self)->out);
	fflush((*self)->out);
	free(*self);
	*self = NULL;
}

void jsonw_pretty(json_writer_t *self, bool on)
{
	self->pretty = on;
}

static void jsonw_indent(json_writer_t *self)
{
	unsigned int i;

	if (!self->pretty)
		return;
	fputc('\n', self->out);
	for (i = 0; i < self->depth; i++)
		fputs("  ", self->out);
}

/* Separator before a value or a name at the current level. */
static void jsonw_sep(json_writer_t *self)
{
	if (self->after_name) {
		self->after_name = false;
		return;
	}
	if (!self->depth) {
		/* JSON has one top-level value; a second one gets a line */
		if (!self->first[0])
			fputc('\n', self->out);
	} else {
		if (!self->first[self->depth])
			fputc(',', self->out);
		jsonw_indent(self);
	}
	self->first[self->depth] = false;
}

static void jsonw_putstr(json_writer_t *self, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	FILE *f = self->out;

	fputc('"', f);
	while (*p) {
		unsigned char c = *p;
		int len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 :
			  (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		int i;

		if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else if (len == 1) {
			fputc(c, f);
		} else {
			/* copy a whole UTF-8 sequence, or replace a bad byte */
			for (i = 1; i < len; i++)
				if ((p[i] & 0xc0) != 0x80)
					break;
			if (!len || i < len || (c == 0xc0 || c == 0xc1)) {
				fputs("\\ufffd", f);
				len = 1;
			} else {
				fwrite(p, 1, len, f);
			}
			p += len;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

void jsonw_name(json_writer_t *self, const char *name)
{
	jsonw_sep(self);
	jsonw_putstr(self, name);
	fputs(self->pretty ? ": " : ":", self->out);
	self->after_name = true;
}

static void jsonw_open(json_writer_t *self, char c)
{
	jsonw_sep(self);
	fputc(c, self->out);
	if (self->depth < JSONW_DEPTH_MAX - 1)
		self->depth++;
	self->first[self->depth] = true;
}

static void jsonw_close(json_writer_t *self, char c)
{
	bool empty = self->first[self->depth];

	if (self->depth)
		self->depth--;
	if (!empty)
		jsonw_indent(self);
	fputc(c, self->out);
}

void jsonw_start_object(json_writer_t *self)
{
	jsonw_open(self, '{');
}

void jsonw_end_object(json_writer_t *self)
{
	jsonw_close(self, '}');
}

void jsonw_start_array(json_writer_t *self)
{
	jsonw_open(self, '[');
}

void jsonw_end_array(json_writer_t *self)
{
	jsonw_close(self, ']');
}

void jsonw_string(json_writer_t *self, const char *value)
{
	jsonw_sep(self);
	jsonw_putstr(self, value);
}

void jsonw_uint(json_writer_t *self, uint64_t value)
{
	jsonw_sep(self);
	fprintf(self->out, "%llu", (unsigned long long)value);
}

void jsonw_int(json_writer_t *self, int64_t value)
{
	jsonw_sep(self);
	fprintf(self->out, "%lld", (long long)value);
}

void jsonw_float(json_writer_t *self, double value)
{
	jsonw_sep(self);
	if (isfinite(value))
		fprintf(self->out, "%.6g", value);
	else
		fputs("null", self->out);
}

void jsonw_bool(json_writer_t *self, bool value)
{
	jsonw_sep(self);
	fputs(value ? "true" : "false", self->out);
}

void jsonw_null(json_writer_t *self)
{
	jsonw_sep(self);
	fputs("null", self->out);
}

void jsonw_string_field(json_writer_t *self, const char *name, const char *v)
{
	jsonw_name(self, name);
	jsonw_string(self, v);
}

void jsonw_uint_field(json_writer_t *self, const char *name, uint64_t v)
{
	jsonw_name(self, name);
	jsonw_uint(self, v);
}

void jsonw_int_field(json_writer_t *self, const char *name, int64_t v)
{
	jsonw_name(self, name);
	jsonw_int(self, v);
}

void jsonw_float_field(json_writer_t *self, const char *name, double v)
{
	jsonw_name(self, name);
	jsonw_float(self, v);
}

void jsonw_bool_field(json_writer_t *self, const char *name, bool v)
{
	jsonw_name(self, name);
	jsonw_bool(self, v);
}

void jsonw_null_field(json_writer_t *self, const char *name)
{
	jsonw_name(self, name);
	jsonw_null(self);
}
