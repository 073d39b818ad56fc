/* bench_pack.c: opening a pack (read, verify, decompress, parse) of 5 documents x 20 versions of 60 KB.
 *
 * Prints `name value unit` lines: the pack's size beside the raw texts, and the median time of
 * gate_open() on the pack (signed, signature checked) and of the first gate_check-style lookups
 * it serves. Usage: bench_pack [--quick]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support_memsource.h"
#include "support_bench.h"

/* Notice-like prose: clauses drawn from a fixed vocabulary by a seeded generator,
 * so that two versions share most paragraphs and differ in a few words. */
static const char *words[] = {
	"we", "collect", "your", "personal", "data", "when", "you", "use", "the", "app", "and", "share",
	"it", "with", "processors", "who", "help", "us", "provide", "service", "retain", "records", "for",
	"years", "after", "last", "contact", "rights", "access", "erase", "object", "health", "information",
	"consent", "legitimate", "interests", "transfer", "outside", "United", "Kingdom", "safeguards",
	"security", "encryption", "children", "cookies", "analytics", "clinician", "appointment", "diary",
	"symptoms", "exercise", "reminders", "support", "complaint", "Commissioner", "controller", "address",
};

static unsigned long long rng = 88172645463325252ULL;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

static char *make_text(size_t size, unsigned version, unsigned long long seed)
{
	char *t = malloc(size + 256);
	size_t len = 0;
	int para = 0;

	rng = seed;
	len += (size_t)sprintf(t, "# Privacy notice\n\nLast updated: %u March 2026\n\n", version);
	while (len < size) {
		int n = 20 + (int)(next_rand() % 40);

		len += (size_t)sprintf(t + len, "%s", "");
		for (int w = 0; w < n && len < size; w++) {
			const char *word = words[next_rand() % (sizeof(words) / sizeof(words[0]))];

			/* each version edits one word in every tenth paragraph */
			if (para % 10 == (int)(version % 10) && w == 3)
				word = "materially";
			len += (size_t)sprintf(t + len, "%s%s", w ? " " : "", word);
		}
		len += (size_t)sprintf(t + len, ".\n\n");
		para++;
	}
	t[len] = '\0';
	return t;
}

int main(int argc, char **argv)
{
	unsigned docs = 5, versions = 20, runs = 30;
	size_t text_size = 60 * 1024, raw_total = 0;
	char dir[512], path[600];
	unsigned char pk[GATE_PACK_PUBLICKEYBYTES], sk[GATE_PACK_SECRETKEYBYTES];
	gate_pack_options po = GATE_PACK_OPTIONS_INIT;
	gate_buf out = GATE_BUF_INIT;
	double t[64];
	memsrc *m;
	gate *g;
	FILE *f;

	if (argc > 1 && strcmp(argv[1], "--quick") == 0) {
		versions = 3;
		runs = 3;
	}
	snprintf(dir, sizeof(dir), "%s/gate-bench-pack-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/policies.pack", dir);

	m = memsrc_new("en-GB");
	for (unsigned d = 0; d < docs; d++) {
		char doc[16];

		snprintf(doc, sizeof(doc), "doc%u", d);
		for (unsigned v = 1; v <= versions; v++) {
			char *text = make_text(text_size, v, 1000 + d);

			raw_total += strlen(text);
			memsrc_add(m, doc, GATE_CHANGE_MATERIAL, 1767225600000LL + v, "en-GB", text, NULL);
			free(text);
		}
	}
	if (memsrc_open(&g, m, ":memory:", NULL, NULL) < 0 || gate_pack_keygen(pk, sk) < 0)
		return 1;
	po.secret_key = sk;
	if (gate_pack_write(g, &po, &out) < 0) {
		fprintf(stderr, "bench_pack: %s\n", gate_error_last()->message);
		return 1;
	}
	gate_free(g);
	if (!(f = fopen(path, "wb")) || fwrite(out.ptr, 1, out.size, f) != out.size || fclose(f) != 0)
		return 1;

	for (unsigned i = 0; i < runs; i++) {
		gate_options o = GATE_OPTIONS_INIT;
		const gate_version_info *v;
		double start = bench_now_ms();

		o.pack_path = path;
		o.pack_public_key = pk;
		if (gate_open(&g, &o) < 0 || gate_version_in_force(g, "doc4", 1767225600000LL + versions, &v) < 0) {
			fprintf(stderr, "bench_pack: %s\n", gate_error_last()->message);
			return 1;
		}
		t[i] = bench_now_ms() - start;
		gate_free(g);
	}
	printf("pack_documents %u count\n", docs);
	printf("pack_versions %u count\n", docs * versions);
	printf("raw_text_bytes %zu bytes\n", raw_total);
	printf("pack_bytes %zu bytes\n", out.size);
	printf("pack_ratio %.3f x\n", (double)out.size / (double)raw_total);
	printf("open_pack_median_ms %.2f ms\n", bench_quantile(t, runs, 0.5));
	printf("open_pack_max_ms %.2f ms\n", bench_quantile(t, runs, 1.0));
	gate_buf_dispose(&out);
	unlink(path);
	rmdir(dir);
	return 0;
}
