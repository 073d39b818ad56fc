/* cmd_pack.c: `gate pack`, making, inspecting and installing offline packs for mobile clients. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_pack = {
	"pack", run, "Make, inspect or install an offline pack for mobile clients",
	"gate pack [--docs privacy,terms] [--keep K] [--sign KEYFILE] -o FILE\n"
	"       gate pack info FILE [--pack-key PUBFILE]\n"
	"       gate pack install NEW_FILE DEST [--pack-key PUBFILE]",
	"A pack holds every version's metadata and the texts a client may need,\n"
	"zlib-compressed, hashed with SHA-256 and optionally signed (docs/pack-format.md).\n"
	"Open one with `gate --pack FILE ...` or gate_open()'s pack_path.\n\n"
	"  --docs LIST        comma-separated documents to include (default: all)\n"
	"  --keep K           keep the texts of each document's last K versions (default: all)\n"
	"  --sign KEYFILE     sign with the secret key `gate keygen` wrote (NAME.key)\n"
	"  -o, --output FILE  where to write the pack (written beside it, then renamed)\n\n"
	"`pack info` checks a pack and describes it; `pack install` checks NEW_FILE in\n"
	"full and then replaces DEST with it atomically (a bad pack leaves DEST as it was).\n"
	"With --pack-key both also require the publisher's signature.\n",
	60
};

enum { OPT_DOCS = 1, OPT_KEEP, OPT_SIGN };

struct pack_args {
	const char *docs, *sign, *output;
	long keep;
};

static int on_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	struct pack_args *a = payload;
	char *end;

	(void)cli;
	switch (opt) {
	case OPT_DOCS: a->docs = arg; return 0;
	case OPT_SIGN: a->sign = arg; return 0;
	case 'o': a->output = arg; return 0;
	case OPT_KEEP:
		errno = 0;
		a->keep = strtol(arg, &end, 10);
		if (errno || *end || a->keep < 1 || a->keep > 1000000)
			return cli_usage(&gate_cmd_pack, "--keep wants a number of versions, at least 1");
		return 0;
	}
	return cli_usage(&gate_cmd_pack, "unknown option");
}

static void print_info(gate_cli *cli, const char *path, const gate_pack_info *i)
{
	char created[GATE_TIME_BUFSIZE];

	cli_time(i->created, created);
	if (cli->json) {
		printf("{\"path\": ");
		cli_json_string(stdout, path);
		printf(", \"format\": %u, \"signed\": %s, \"signature_checked\": %s, \"created\": \"%s\", "
			"\"source_commit\": \"%s\", \"file_size\": %zu, \"raw_size\": %zu, \"documents\": %zu, "
			"\"versions\": %zu, \"texts\": %zu, \"text_bytes\": %zu}\n",
			i->format, i->is_signed ? "true" : "false", i->signature_checked ? "true" : "false",
			created, i->source_commit, i->file_size, i->raw_size, i->doc_count, i->version_count,
			i->text_count, i->text_bytes);
		return;
	}
	printf("%s: libgate pack, format %u, %s\n", path, i->format,
		i->signature_checked ? "signature verified" : i->is_signed ? "signed (no key given to check it)" : "unsigned");
	printf("  created        %s from commit %.12s\n", created, i->source_commit);
	printf("  contents       %zu document%s, %zu version%s, %zu text%s (%zu bytes)\n",
		i->doc_count, i->doc_count == 1 ? "" : "s", i->version_count, i->version_count == 1 ? "" : "s",
		i->text_count, i->text_count == 1 ? "" : "s", i->text_bytes);
	printf("  size           %zu bytes on disk, %zu uncompressed\n", i->file_size, i->raw_size);
}

static int load_pub(gate_cli *cli, unsigned char *key, const unsigned char **out)
{
	*out = NULL;
	if (!cli->pack_key)
		return CLI_OK;
	if (cli_read_hex_key(cli->pack_key, key, GATE_PACK_PUBLICKEYBYTES) != CLI_OK)
		return CLI_FAIL;
	*out = key;
	return CLI_OK;
}

static int write_atomically(const char *path, const gate_buf *data)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (!(f = fopen(tmp, "wb")))
		return cli_failf("cannot create %s: %s", tmp, strerror(errno));
	if (fwrite(data->ptr, 1, data->size, f) != data->size || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		int e = errno;

		fclose(f);
		unlink(tmp);
		return cli_failf("cannot write %s: %s", tmp, strerror(e));
	}
	fclose(f);
	if (rename(tmp, path) != 0) {
		int e = errno;

		unlink(tmp);
		return cli_failf("cannot write %s: %s", path, strerror(e));
	}
	return CLI_OK;
}

static int make_pack(gate_cli *cli, struct pack_args *a)
{
	gate_pack_options opts = GATE_PACK_OPTIONS_INIT;
	unsigned char sk[GATE_PACK_SECRETKEYBYTES];
	char *docs_copy = NULL, *docs[64], *save = NULL;
	gate_buf out = GATE_BUF_INIT;
	gate_pack_info info;
	gate *g = NULL;
	int rc;

	if (!a->output)
		return cli_usage(&gate_cmd_pack, "where to? pass -o FILE");
	if (a->sign && (rc = cli_read_hex_key(a->sign, sk, sizeof(sk))) != CLI_OK)
		return rc;
	if (a->docs) {
		size_t n = 0;

		docs_copy = strdup(a->docs);
		for (char *d = strtok_r(docs_copy, ",", &save); d && n < 64; d = strtok_r(NULL, ",", &save))
			docs[n++] = d;
		if (n == 0) {
			free(docs_copy);
			return cli_usage(&gate_cmd_pack, "--docs wants a comma-separated list of documents");
		}
		opts.docs = (const char *const *)docs;
		opts.doc_count = n;
	}
	opts.keep = (unsigned)a->keep;
	opts.secret_key = a->sign ? sk : NULL;
	if ((rc = cli_open(cli, &g)) != CLI_OK)
		goto out;
	if (gate_pack_write(g, &opts, &out) < 0) {
		rc = cli_fail();
		goto out;
	}
	if ((rc = write_atomically(a->output, &out)) != CLI_OK)
		goto out;
	if (gate_pack_inspect(a->output, NULL, &info) < 0) {
		rc = cli_fail();
		goto out;
	}
	print_info(cli, a->output, &info);
	rc = CLI_OK;
out:
	gate_buf_dispose(&out);
	gate_free(g);
	free(docs_copy);
	return rc;
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "docs", required_argument, NULL, OPT_DOCS },
		{ "keep", required_argument, NULL, OPT_KEEP },
		{ "sign", required_argument, NULL, OPT_SIGN },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct pack_args a;
	unsigned char pub[GATE_PACK_PUBLICKEYBYTES];
	const unsigned char *key;
	int first, rc;

	memset(&a, 0, sizeof(a));
	if ((rc = cli_parse(cli, &gate_cmd_pack, argc, argv, "o:", longopts, on_option, &a, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (first == argc)
		return make_pack(cli, &a);

	if (strcmp(argv[first], "info") == 0) {
		gate_pack_info info;

		if (argc - first != 2)
			return cli_usage(&gate_cmd_pack, "pack info wants one FILE");
		if (load_pub(cli, pub, &key) != CLI_OK)
			return CLI_FAIL;
		if (gate_pack_inspect(argv[first + 1], key, &info) < 0)
			return cli_fail();
		print_info(cli, argv[first + 1], &info);
		return CLI_OK;
	}
	if (strcmp(argv[first], "install") == 0) {
		gate_pack_info info;

		if (argc - first != 3)
			return cli_usage(&gate_cmd_pack, "pack install wants NEW_FILE and DEST");
		if (load_pub(cli, pub, &key) != CLI_OK)
			return CLI_FAIL;
		if (gate_pack_install(argv[first + 1], argv[first + 2], key) < 0 ||
		    gate_pack_inspect(argv[first + 2], key, &info) < 0)
			return cli_fail();
		print_info(cli, argv[first + 2], &info);
		return CLI_OK;
	}
	return cli_usage(&gate_cmd_pack, "unknown subcommand '%s'", argv[first]);
}
