/*
 * consumer.c: the smallest useful program against an installed libgate:
 * open a policy repository (or a pack), print the library's version and
 * one user's decision for every document.
 *
 *   consumer POLICIES USER [DATABASE]
 */
#include <gate.h>

#include <stdio.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	gate_options opts = GATE_OPTIONS_INIT;
	const gate_decision *decisions;
	size_t count;
	struct stat st;
	gate *g;
	int outcome;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: consumer POLICIES USER [DATABASE]\n");
		return 2;
	}
	printf("libgate %s\n", gate_version());

	if (stat(argv[1], &st) == 0 && S_ISREG(st.st_mode))
		opts.pack_path = argv[1];
	else
		opts.repo_path = argv[1];
	opts.db_path = argc == 4 ? argv[3] : NULL;
	if (gate_open(&g, &opts) < 0) {
		fprintf(stderr, "consumer: %s\n", gate_error_last()->message);
		return 1;
	}
	outcome = gate_check_all(g, argv[2], &decisions, &count);
	if (outcome < 0) {
		fprintf(stderr, "consumer: %s\n", gate_error_last()->message);
		gate_free(g);
		return 1;
	}
	printf("%s: %s\n", argv[2], gate_outcome_name(outcome));
	for (size_t i = 0; i < count; i++)
		printf("  %s: %s (accepted v%u, in force v%u)\n", decisions[i].doc,
			gate_outcome_name(decisions[i].outcome), decisions[i].accepted, decisions[i].required);
	gate_free(g);
	return 0;
}
