/* render_json.c: the JSON format: both sides, the verdict, every change with its offsets and reasons, and the totals. */
#include "common.h"
#include "diff.h"
#include "render.h"

#include <string.h>

static int put_str_or_null(gate_buf *out, const char *s)
{
	return s && *s ? gate__render_put_json(out, s, strlen(s)) : gate__buf_puts(out, "null");
}

static int put_side(gate_buf *out, const gate_diff_side *s)
{
	char when[GATE_TIME_BUFSIZE];

	if (gate__buf_puts(out, "{\"label\": ") < 0 || gate__render_put_json(out, s->label ? s->label : "",
		s->label ? strlen(s->label) : 0) < 0 ||
	    gate__buf_puts(out, ", \"doc\": ") < 0 || put_str_or_null(out, s->doc) < 0 ||
	    gate__buf_puts(out, ", \"version\": ") < 0 ||
	    (s->n ? gate__buf_printf(out, "%u", s->n) : gate__buf_puts(out, "null")) < 0 ||
	    gate__buf_puts(out, ", \"locale\": ") < 0 || put_str_or_null(out, s->locale) < 0 ||
	    gate__buf_puts(out, ", \"blob\": ") < 0 || put_str_or_null(out, s->blob_oid) < 0 ||
	    gate__buf_puts(out, ", \"effective\": ") < 0)
		return GATE_ENOMEM;
	if (s->effective != GATE_TIME_UNSET && gate_time_format(when, s->effective) == 0)
		return gate__buf_printf(out, "\"%s\"}", when);
	return gate__buf_puts(out, "null}");
}

/* ["sharing", "transfers"] from bits, using `name` for each. */
static int put_names(gate_buf *out, unsigned int bits, const char *(*name)(unsigned int))
{
	if (gate__buf_putc(out, '[') < 0 || gate__render_bit_names(out, bits, name, true) < 0)
		return GATE_ENOMEM;
	return gate__buf_putc(out, ']');
}

static int put_change(gate_buf *out, const gate_diff_change *c)
{
	if (gate__buf_printf(out, "    {\"kind\": \"%s\", \"section\": ", gate_change_name(c->kind)) < 0 ||
	    put_str_or_null(out, c->section) < 0 ||
	    gate__buf_puts(out, ", \"categories\": ") < 0 || put_names(out, c->categories, gate_category_name) < 0 ||
	    gate__buf_puts(out, ", \"hints\": ") < 0 || put_names(out, c->hints, gate_hint_name) < 0 ||
	    gate__buf_puts(out, ", \"editorial\": ") < 0 || put_names(out, c->editorial, gate_editorial_name) < 0 ||
	    gate__buf_puts(out, ", \"removed\": ") < 0 || gate__render_put_json(out, c->removed, c->removed_len) < 0 ||
	    gate__buf_puts(out, ", \"added\": ") < 0 || gate__render_put_json(out, c->added, c->added_len) < 0 ||
	    gate__buf_printf(out, ", \"old_line\": %u, \"new_line\": %u, \"old_offset\": %zu, \"new_offset\": %zu"
		", \"removed_bytes\": %zu, \"added_bytes\": %zu}",
		c->old_line, c->new_line, c->old_offset, c->new_offset, c->removed_len, c->added_len) < 0)
		return GATE_ENOMEM;
	return 0;
}

int gate__render_json(gate__render *r)
{
	const gate_diff *d = r->d;
	const gate_diff_stats *s = &d->stats;
	gate_buf *out = r->out;
	size_t shown = 0;

	if (gate__buf_puts(out, "{\n  \"from\": ") < 0 || put_side(out, &d->sides[0]) < 0 ||
	    gate__buf_puts(out, ",\n  \"to\": ") < 0 || put_side(out, &d->sides[1]) < 0 ||
	    gate__buf_printf(out, ",\n  \"material\": %s,\n  \"verdict\": \"%s\",\n  \"summary\": ",
		d->material ? "true" : "false", gate__render_verdict(d)) < 0)
		return GATE_ENOMEM;
	{
		gate_buf line = GATE_BUF_INIT;
		int rc = gate__render_summary(&line, d);

		if (rc == 0)
			rc = gate__render_put_json(out, line.ptr, line.size);
		gate_buf_dispose(&line);
		if (rc < 0)
			return rc;
	}
	if (gate__buf_printf(out, ",\n  \"material_only\": %s,\n  \"changes\": [",
		(r->flags & GATE_RENDER_MATERIAL_ONLY) ? "true" : "false") < 0)
		return GATE_ENOMEM;
	for (size_t i = 0; i < d->count; i++) {
		if (!gate__render_shows(r, &d->changes[i]))
			continue;
		if (gate__buf_puts(out, shown++ ? ",\n" : "\n") < 0 || put_change(out, &d->changes[i]) < 0)
			return GATE_ENOMEM;
	}
	return gate__buf_printf(out, "%s],\n  \"stats\": {\"changes\": %zu, \"material\": %zu, \"editorial\": %zu"
		", \"words_removed\": %zu, \"words_added\": %zu, \"old_words\": %zu, \"new_words\": %zu"
		", \"old_bytes\": %zu, \"new_bytes\": %zu, \"coarse\": %s}\n}\n",
		shown ? "\n  " : "", s->changes, s->material, s->editorial, s->words_removed, s->words_added,
		s->old_words, s->new_words, s->old_bytes, s->new_bytes, s->coarse ? "true" : "false");
}
