/* report_svg.c: the charts of the HTML reports, as inline SVG that fits any width: a bar chart and an
 * uptake line chart, each with a <title> and a <desc> for screen readers. */
#include "report.h"

#include <stdio.h>
#include <string.h>

/* The bar chart: one row per bar, its label and value above a full-width
 * track. Positions across are percentages and sizes are CSS pixels, so the
 * text keeps its size from a phone to a wide screen. */
#define BAR_ROW 46
#define BAR_TOP 22
#define BAR_HEIGHT 12

void gate__svg_bars(gate__out *o, const char *id, const char *title, const char *desc,
	const gate__bar *bars, size_t count, size_t total)
{
	gate__out_printf(o, "<svg class=\"bars\" width=\"100%%\" height=\"%zu\" role=\"img\" "
		"aria-labelledby=\"%s-t %s-d\">\n<title id=\"%s-t\">", count * BAR_ROW, id, id, id);
	gate__out_html(o, title);
	gate__out_printf(o, "</title>\n<desc id=\"%s-d\">", id);
	gate__out_html(o, desc);
	gate__out_puts(o, "</desc>\n");
	for (size_t i = 0; i < count; i++) {
		double share = total ? 100.0 * (double)bars[i].value / (double)total : 0.0;
		size_t y = i * BAR_ROW;

		gate__out_printf(o, "<text class=\"bar-label\" x=\"0\" y=\"%zu\">", y + 16);
		gate__out_html(o, bars[i].label);
		gate__out_printf(o, "</text><text class=\"bar-value\" x=\"100%%\" y=\"%zu\" text-anchor=\"end\">", y + 16);
		gate__out_count(o, bars[i].value);
		if (total)
			gate__out_printf(o, " \xC2\xB7 %.1f%%", share);
		gate__out_printf(o, "</text>\n<rect class=\"track\" x=\"0\" y=\"%zu\" width=\"100%%\" height=\"%d\" rx=\"%d\"/>",
			y + BAR_TOP, BAR_HEIGHT, BAR_HEIGHT / 2);
		/* A dot under the bar, so that a few users among millions still show. */
		if (bars[i].value)
			gate__out_printf(o, "<g class=\"bar%s\"><rect x=\"0\" y=\"%zu\" width=\"%d\" height=\"%d\" rx=\"%d\"/>"
				"<rect x=\"0\" y=\"%zu\" width=\"%.2f%%\" height=\"%d\" rx=\"%d\"/></g>",
				bars[i].highlight ? " hl" : "", y + BAR_TOP, BAR_HEIGHT, BAR_HEIGHT, BAR_HEIGHT / 2,
				y + BAR_TOP, share, BAR_HEIGHT, BAR_HEIGHT / 2);
		gate__out_puts(o, "\n");
	}
	gate__out_puts(o, "</svg>\n");
}

/* The line chart: the plot is an inner SVG stretched to the width with its
 * own coordinates (x: days, y: share from 0 to 1000), drawn with strokes
 * that do not stretch; the labels are outside it, in CSS pixels. */
#define PLOT_TOP 14
#define PLOT_HEIGHT 220
#define AXIS_ROOM 28

void gate__svg_uptake(gate__out *o, const gate_uptake *u, const char *title, const char *desc)
{
	size_t days = u->day_count, span = days > 1 ? days - 1 : 1;
	char from[GATE_TIME_BUFSIZE], to[GATE_TIME_BUFSIZE];

	gate__out_printf(o, "<svg class=\"lines\" width=\"100%%\" height=\"%d\" role=\"img\" "
		"aria-labelledby=\"uptake-t uptake-d\">\n<title id=\"uptake-t\">", PLOT_TOP + PLOT_HEIGHT + AXIS_ROOM);
	gate__out_html(o, title);
	gate__out_puts(o, "</title>\n<desc id=\"uptake-d\">");
	gate__out_html(o, desc);
	gate__out_puts(o, "</desc>\n");
	/* Grid lines and their labels: 0%, 25%, 50%, 75%, 100%. */
	for (int q = 0; q <= 4; q++) {
		int y = PLOT_TOP + PLOT_HEIGHT - q * PLOT_HEIGHT / 4;

		gate__out_printf(o, "<line class=\"grid\" x1=\"0\" x2=\"100%%\" y1=\"%d\" y2=\"%d\"/>"
			"<text class=\"axis\" x=\"0\" y=\"%d\">%d%%</text>\n", y, y, y - 4, q * 25);
	}
	gate__out_printf(o, "<svg x=\"0\" y=\"%d\" width=\"100%%\" height=\"%d\" viewBox=\"0 0 %zu 1000\" "
		"preserveAspectRatio=\"none\" overflow=\"visible\">\n", PLOT_TOP, PLOT_HEIGHT, span);
	for (size_t i = 0; i < u->version_count; i++) {
		const gate_uptake_version *v = &u->versions[i];
		size_t skip = days - v->day_count;

		if (!v->day_count)
			continue;
		/* No line on days with nobody known: a share of nobody is no figure. */
		for (size_t k = 0; k < v->day_count; k++) {
			const gate_uptake_day *d = &v->days[k];
			bool open = k && v->days[k - 1].known;
			double y = d->known ? 1000.0 - 1000.0 * (double)d->accepted / (double)d->known : 0.0;

			if (!d->known) {
				if (open)
					gate__out_puts(o, "\"/>\n");
				continue;
			}
			if (!open)
				gate__out_printf(o, "<polyline class=\"s%zu\" vector-effect=\"non-scaling-stroke\" points=\"", i % 8);
			/* A single day is drawn as a short flat line so that it shows. */
			gate__out_printf(o, "%s%zu,%.1f", open ? " " : "", days > 1 ? skip + k : 0, y);
			if (days == 1 || ((k + 1 == v->day_count || !v->days[k + 1].known) && !open))
				gate__out_printf(o, " %.1f,%.1f", days > 1 ? (double)(skip + k) + 0.5 : 1.0, y);
			if (k + 1 == v->day_count)
				gate__out_puts(o, "\"/>\n");
			gate__out_maybe_flush(o);
		}
	}
	gate__out_puts(o, "</svg>\n");
	gate_time_format(from, u->first_day * GATE__DAY_MS);
	gate_time_format(to, (u->first_day + (int64_t)days - 1) * GATE__DAY_MS);
	gate__out_printf(o, "<text class=\"axis\" x=\"0\" y=\"%d\">%.10s</text>"
		"<text class=\"axis\" x=\"100%%\" y=\"%d\" text-anchor=\"end\">%.10s</text>\n</svg>\n",
		PLOT_TOP + PLOT_HEIGHT + 20, from, PLOT_TOP + PLOT_HEIGHT + 20, to);
}
