/* cli.h: what every `gate` subcommand shares: global options, opening the handle, output and exit codes. */
#ifndef GATE_CLI_H
#define GATE_CLI_H

#include "gate.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* Exit codes. `gate check` adds its decision codes (10 NOTIFY, 20 BLOCK). */
#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

typedef struct gate_cli {
	const char *repo;     /* -C / --repo, else $GATE_REPO, else "." */
	const char *db;       /* --db, else $GATE_DB, else the library's default */
	const char *pack;     /* --pack, else $GATE_PACK */
	const char *pack_key; /* --pack-key FILE: require a pack signed by this public key */
	bool json;            /* --json */
	bool color;           /* stdout is a terminal and NO_COLOR is unset */
} gate_cli;

typedef struct gate_cli_command {
	const char *name;
	int (*run)(gate_cli *cli, int argc, char **argv); /* argv[0] is the command name */
	const char *summary;  /* one line for `gate --help` */
	const char *usage;    /* "gate publish DOC FILE [options]" */
	const char *help;     /* the options and details, for `gate help NAME` */
	int order;            /* position in `gate --help` */
} gate_cli_command;

/* Called for each option that is not global; returns 0, or CLI_USAGE after
 * printing why with cli_usage(). */
typedef int (*cli_option_fn)(gate_cli *cli, int opt, const char *arg, void *payload);

/* Parses the command's options (and the global ones, accepted anywhere).
 * On success `*first` is the index of the first operand in argv. Returns
 * CLI_OK, CLI_USAGE, or -1 when --help was printed (the caller exits 0). */
int cli_parse(gate_cli *cli, const gate_cli_command *cmd, int argc, char **argv,
	const char *shortopts, const struct option *longopts,
	cli_option_fn fn, void *payload, int *first);

/* Prints "gate CMD: message" and the command's usage line to stderr; returns CLI_USAGE. */
int cli_usage(const gate_cli_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints gate_error_last() as one line on stderr; returns CLI_FAIL. */
int cli_fail(void);

/* Prints "gate: message" on stderr; returns CLI_FAIL. */
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens the handle the global options describe; prints the error and returns
 * CLI_FAIL on failure. */
int cli_open(gate_cli *cli, gate **out);

/* The current time: $GATE_NOW (RFC 3339, for reproducible demos and tests)
 * or the system clock. */
int64_t cli_now(void);
/* A gate_clock_fn that returns cli_now(). */
int64_t cli_clock(void *payload);

/* Prints a help page for one command. */
void cli_print_command_help(FILE *out, const gate_cli_command *cmd);

/* `gate --help`, `gate --version` and the command table (main.c). */
void cli_print_main_help(FILE *out);
int cli_print_version(gate_cli *cli);
const gate_cli_command *cli_find_command(const char *name);

/* Writes `s` as a JSON string (quotes included). */
void cli_json_string(FILE *out, const char *s);

/* Parses "3" or "v3" into a version number; 0 when it is neither. */
unsigned cli_parse_version(const char *s);

/* Splits "Name <email>" into malloc'd parts; on failure prints a usage
 * error for `cmd` and returns CLI_USAGE. */
int cli_parse_author(const gate_cli_command *cmd, const char *s, char **name, char **email);

/* Formats a time as RFC 3339 into a static buffer (one per call site is
 * enough: the CLI is single-threaded and prints immediately). */
const char *cli_time(int64_t ms, char *buf);

/* Reads a key file of `size` bytes written as hex digits (gate keygen). */
int cli_read_hex_key(const char *path, unsigned char *key, size_t size);

/* Reads a whole file (or "-" for stdin) into a malloc'd, NUL-terminated
 * buffer; on failure prints a one-line error and returns CLI_FAIL. */
int cli_read_file(const char *path, char **data, size_t *len);

/* Acceptance output (cli_store.c): a receipt as one JSON object line, a
 * decision as a JSON object (no newline), a decision in words (one line). */
void cli_print_receipt(FILE *out, const char *user, const char *doc, const gate_receipt *r);
void cli_print_decision_json(FILE *out, const gate_decision *d);
void cli_print_decision_words(FILE *out, const char *user, const gate_decision *d, int64_t now);

/* Writes `data` to standard output (`path` NULL or "-") or to the file
 * `path`, atomically: a temporary file beside it, flushed, renamed over it.
 * On failure prints a one-line error and returns CLI_FAIL (cli_output.c). */
int cli_write_output(const char *path, const char *data, size_t len);

/* Output written as it is made (cli_output.c): to standard output, or to a
 * temporary file beside `path` that replaces it only when all went well,
 * so that a failed or interrupted report never leaves half a file. */
typedef struct cli_stream {
	const char *path;   /* NULL: standard output */
	char *tmp;
	int fd;
	int err;            /* errno of the first failed write */
} cli_stream;

/* Opens `path` (NULL or "-": standard output); prints the error and returns CLI_FAIL on failure. */
int cli_stream_open(cli_stream *s, const char *path);
/* A gate_write_fn over a cli_stream (the payload): -1 once a write failed. */
int cli_stream_write(const char *data, size_t len, void *payload);
/* Finishes: with `commit`, flushes and renames into place, printing any
 * error (CLI_FAIL); without, removes the temporary file. */
int cli_stream_close(cli_stream *s, bool commit);

/* Report commands (cli_report.c): the options they share, and writing a
 * report as it is made to standard output or -o FILE. */
typedef struct cli_report_args {
	const gate_cli_command *cmd;
	const char *format;       /* --format, else --json, else table */
	const char *as_of;        /* --as-of */
	const char *output;       /* -o, --output */
	gate_report_options ro;   /* filled by cli_report_resolve() */
} cli_report_args;

enum { CLI_REPORT_OPT_FORMAT = 0x2000, CLI_REPORT_OPT_AS_OF, CLI_REPORT_OPT_TITLE, CLI_REPORT_OPT_HTML_ROWS };

#define CLI_REPORT_LONGOPTS \
	{ "format", required_argument, NULL, CLI_REPORT_OPT_FORMAT }, \
	{ "as-of", required_argument, NULL, CLI_REPORT_OPT_AS_OF }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "title", required_argument, NULL, CLI_REPORT_OPT_TITLE }

void cli_report_args_init(cli_report_args *a, const gate_cli_command *cmd);
/* A cli_option_fn for the options above (and --html-rows); the payload is a cli_report_args. */
int cli_report_option(gate_cli *cli, int opt, const char *arg, void *payload);
/* Turns --format (or --json) and --as-of into `a->ro`; prints a usage error and returns CLI_USAGE. */
int cli_report_resolve(const gate_cli *cli, cli_report_args *a);
/* Prints a note on standard error when `doc` has no published version (most often a typing slip). */
void cli_report_note_unpublished(gate *g, const char *doc);
/* Renders through `render` into standard output or -o FILE (replaced only when complete). */
typedef int (*cli_render_fn)(void *what, const gate_report_options *ro, gate_write_fn write, void *payload);
int cli_report_write(const cli_report_args *a, cli_render_fn render, void *what);

/* Prints, in the text diff format, what publishing `texts` as the next
 * version of `doc` would change, locale by locale (cli_publish_diff.c). */
int cli_print_publish_changes(gate_cli *cli, gate *g, const char *doc,
	const gate_publish_text *texts, size_t count);

#endif
