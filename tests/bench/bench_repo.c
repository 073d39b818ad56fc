/* bench_repo.c: publish cost against history length, and listing 1,000 versions (needs-git).
 *
 * Prints `name value unit` lines:
 *   publish_v10_ms / publish_vN_ms   median publish time around the 10th and the Nth version
 *   publish_ratio                    the second over the first (1.0 = constant cost)
 *   versions_api_ms                  gate_open + gate_versions over N versions, median
 *   versions_cli_ms                  `gate versions DOC` as a whole process, median
 *   git_tag_list_ms                  `git tag -l` of the document's tags, for scale
 * Usage: bench_repo [--quick] [--versions N] [--keep DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gate.h"
#include "support_bench.h"

static double time_command(const char *cmd, int runs)
{
	double t[32];

	for (int i = 0; i < runs; i++) {
		double start = bench_now_ms();

		if (system(cmd) != 0) {
			fprintf(stderr, "bench_repo: '%s' failed\n", cmd);
			exit(1);
		}
		t[i] = bench_now_ms() - start;
	}
	return bench_median(t, (size_t)runs);
}

int main(int argc, char **argv)
{
	unsigned versions = 1000;
	const char *keep = NULL;
	char dir[512], repo[600], cmd[2048];
	gate_init_options io = GATE_INIT_OPTIONS_INIT;
	gate_options o = GATE_OPTIONS_INIT;
	gate_publish_options po = GATE_PUBLISH_OPTIONS_INIT;
	double *pub;
	gate *g;
	char *text;
	size_t text_cap = 64 * 1024;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			versions = 30;
		else if (strcmp(argv[i], "--versions") == 0 && i + 1 < argc)
			versions = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
			keep = argv[++i];
	}
	if (versions < 20)
		versions = 20;
	if (keep) {
		snprintf(dir, sizeof(dir), "%s", keep);
	} else {
		snprintf(dir, sizeof(dir), "%s/gate-bench-repo-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir))
			return 1;
	}
	snprintf(repo, sizeof(repo), "%s/policies", dir);
	io.author_name = po.author_name = "Bench";
	io.author_email = po.author_email = "bench@example.org";
	if (gate_repository_init(repo, &io) < 0) {
		fprintf(stderr, "bench_repo: %s\n", gate_error_last()->message);
		return 1;
	}
	o.repo_path = repo;
	if (gate_open(&g, &o) < 0)
		return 1;

	/* A notice of about 40 KB whose numbered clause changes each version. */
	text = malloc(text_cap);
	pub = calloc(versions + 1, sizeof(double));
	for (unsigned n = 1; n <= versions; n++) {
		gate_publish_text t;
		size_t len = 0;
		double start;

		len += (size_t)snprintf(text + len, text_cap - len, "# Privacy notice\n\nVersion clause %u.\n\n", n);
		for (int p = 0; len < 40000; p++)
			len += (size_t)snprintf(text + len, text_cap - len,
				"Paragraph %d explains how we collect, use, store and share the personal data you give us when you use the app.\n\n", p);
		t.locale = NULL;
		t.text = text;
		t.len = len;
		po.change = GATE_CHANGE_MATERIAL;
		start = bench_now_ms();
		if (gate_publish(g, "privacy", &t, 1, &po, NULL) < 0) {
			fprintf(stderr, "bench_repo: %s\n", gate_error_last()->message);
			return 1;
		}
		pub[n] = bench_now_ms() - start;
	}
	gate_free(g);

	{
		double early = bench_median(pub + 6, 10), late = bench_median(pub + versions - 9, 10);
		double api[10];

		for (int i = 0; i < 10; i++) {
			const gate_version_info *vs;
			size_t count;
			double start = bench_now_ms();

			if (gate_open(&g, &o) < 0 || gate_versions(g, "privacy", &vs, &count) < 0 || count != versions)
				return 1;
			api[i] = bench_now_ms() - start;
			gate_free(g);
		}
		printf("versions %u count\n", versions);
		printf("publish_v10_ms %.2f ms\n", early);
		printf("publish_v%u_ms %.2f ms\n", versions, late);
		printf("publish_ratio %.2f x\n", late / early);
		printf("versions_api_ms %.2f ms\n", bench_median(api, 10));
	}
	snprintf(cmd, sizeof(cmd), "'%s' -C '%s' versions privacy >/dev/null", GATE_CLI_PATH, repo);
	printf("versions_cli_ms %.2f ms\n", time_command(cmd, 10));
	snprintf(cmd, sizeof(cmd), "'%s' -C '%s' versions privacy --json >/dev/null", GATE_CLI_PATH, repo);
	printf("versions_cli_json_ms %.2f ms\n", time_command(cmd, 10));
	if (system("git --version >/dev/null 2>&1") == 0) {
		snprintf(cmd, sizeof(cmd), "git -C '%s' tag -l 'privacy/*' >/dev/null", repo);
		printf("git_tag_list_ms %.2f ms\n", time_command(cmd, 10));
	}
	if (!keep) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return 1;
	}
	free(text);
	free(pub);
	return 0;
}
