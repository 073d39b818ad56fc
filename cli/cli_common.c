/* cli_common.c: option parsing, errors, opening the handle and small output helpers shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_DB = 0x1000, OPT_JSON, OPT_PACK, OPT_PACK_KEY, OPT_HELP };

static const struct option global_options[] = {
	{ "repo", required_argument, NULL, 'C' },
	{ "db", required_argument, NULL, OPT_DB },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "pack", required_argument, NULL, OPT_PACK },
	{ "pack-key", required_argument, NULL, OPT_PACK_KEY },
	{ "help", no_argument, NULL, OPT_HELP },
};

int cli_usage(const gate_cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gate %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", cmd->usage);
	return CLI_USAGE;
}

int cli_fail(void)
{
	fprintf(stderr, "gate: %s\n", gate_error_last()->message);
	return CLI_FAIL;
}

int cli_failf(const char *fmt, ...)
{
	va_list ap;

	fputs("gate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAIL;
}

int cli_parse(gate_cli *cli, const gate_cli_command *cmd, int argc, char **argv,
	const char *shortopts, const struct option *longopts,
	cli_option_fn fn, void *payload, int *first)
{
	struct option all[64];
	char shorts[128];
	size_t n = 0;
	int c;

	/* The command's own options, then the global ones: accepted anywhere. */
	for (const struct option *o = longopts; o && o->name; o++)
		all[n++] = *o;
	for (size_t i = 0; i < sizeof(global_options) / sizeof(global_options[0]); i++)
		all[n++] = global_options[i];
	memset(&all[n], 0, sizeof(all[n]));
	snprintf(shorts, sizeof(shorts), ":hC:%s", shortopts ? shortopts : "");

	optind = 0; /* glibc: start a fresh scan */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, all, NULL)) != -1) {
		int rc;

		switch (c) {
		case 'C': cli->repo = optarg; break;
		case OPT_DB: cli->db = optarg; break;
		case OPT_JSON: cli->json = true; break;
		case OPT_PACK: cli->pack = optarg; break;
		case OPT_PACK_KEY: cli->pack_key = optarg; break;
		case 'h':
		case OPT_HELP:
			cli_print_command_help(stdout, cmd);
			return -1;
		case ':':
			return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
		case '?':
			if (optopt)
				return cli_usage(cmd, "unknown option '-%c'", optopt);
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		default:
			if (!fn)
				return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
			if ((rc = fn(cli, c, optarg, payload)) != 0)
				return rc;
		}
	}
	*first = optind;
	return CLI_OK;
}

int cli_read_hex_key(const char *path, unsigned char *key, size_t size)
{
	char *data;
	size_t len, n = 0;
	int rc;

	if ((rc = cli_read_file(path, &data, &len)) != CLI_OK)
		return rc;
	for (size_t i = 0; i < len; i++) {
		unsigned v;
		char c = data[i];

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (i + 1 >= len || sscanf(data + i, "%2x", &v) != 1 || n >= size) {
			n = size + 1;
			break;
		}
		key[n++] = (unsigned char)v;
		i++;
	}
	free(data);
	if (n != size)
		return cli_failf("%s is not a key file (expected %zu hexadecimal digits)", path, size * 2);
	return CLI_OK;
}

int cli_open(gate_cli *cli, gate **out)
{
	gate_options opts = GATE_OPTIONS_INIT;
	unsigned char key[32];
	int rc;

	if (!cli->pack)
		cli_exec_git(); /* a repository: only gate-git reads one */
	opts.repo_path = cli->repo;
	opts.db_path = cli->db;
	opts.pack_path = cli->pack;
	opts.clock = cli_clock;
	if (cli->pack_key) {
		if ((rc = cli_read_hex_key(cli->pack_key, key, sizeof(key))) != CLI_OK)
			return rc;
		opts.pack_public_key = key;
	}
	if (gate_open(out, &opts) < 0)
		return cli_fail();
	return CLI_OK;
}

int64_t cli_now(void)
{
	const char *env = getenv("GATE_NOW");
	int64_t t;

	if (env && *env && gate_time_parse(&t, env) == 0)
		return t;
	return gate_time_now();
}

int64_t cli_clock(void *payload)
{
	(void)payload;
	return cli_now();
}

void cli_print_command_help(FILE *out, const gate_cli_command *cmd)
{
	fprintf(out, "usage: %s\n\n%s\n", cmd->usage, cmd->summary);
	if (cmd->help && *cmd->help)
		fprintf(out, "\n%s", cmd->help);
	fputs("\nGlobal options: -C/--repo DIR, --db FILE, --pack FILE, --pack-key FILE, --json, --help\n", out);
}

void cli_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

unsigned cli_parse_version(const char *s)
{
	char *end;
	unsigned long v;

	if (!s)
		return 0;
	if (*s == 'v' || *s == 'V')
		s++;
	if (*s < '1' || *s > '9')
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 0x7fffffffUL)
		return 0;
	return (unsigned)v;
}

int cli_read_file(const char *path, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0, cap = 0;

	*data = NULL;
	*len = 0;
	if (!f)
		return cli_failf("cannot open %s: %s", path, strerror(errno));
	for (;;) {
		size_t got;

		if (cap - size < 65536) {
			char *p;

			cap = cap ? cap * 2 : 65536;
			if (!(p = realloc(buf, cap + 1))) {
				free(buf);
				if (f != stdin)
					fclose(f);
				return cli_failf("%s is too large to read into memory", path);
			}
			buf = p;
		}
		got = fread(buf + size, 1, cap - size, f);
		size += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		free(buf);
		if (f != stdin)
			fclose(f);
		return cli_failf("cannot read %s: %s", path, strerror(e));
	}
	if (f != stdin)
		fclose(f);
	buf[size] = '\0';
	*data = buf;
	*len = size;
	return CLI_OK;
}

int cli_parse_author(const gate_cli_command *cmd, const char *s, char **name, char **email)
{
	const char *lt = strchr(s, '<'), *gt = strrchr(s, '>');
	const char *end;

	*name = *email = NULL;
	if (!lt || !gt || gt < lt || gt[1] != '\0' || gt == lt + 1)
		return cli_usage(cmd, "--author wants \"Name <email>\", not '%s'", s);
	end = lt;
	while (end > s && end[-1] == ' ')
		end--;
	if (end == s)
		return cli_usage(cmd, "--author wants \"Name <email>\", not '%s'", s);
	*name = strndup(s, (size_t)(end - s));
	*email = strndup(lt + 1, (size_t)(gt - lt - 1));
	if (!*name || !*email) {
		free(*name);
		free(*email);
		return cli_failf("out of memory");
	}
	return CLI_OK;
}

const char *cli_time(int64_t ms, char *buf)
{
	if (ms == GATE_TIME_UNSET || gate_time_format(buf, ms) < 0)
		strcpy(buf, "-");
	return buf;
}
