/* cmd_keygen.c: `gate keygen`, a publisher key pair for signing packs. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int run(gate_cli *cli, int argc, char **argv);

const gate_cli_command gate_cmd_keygen = {
	"keygen", run, "Make a key pair for signing packs",
	"gate keygen -o NAME",
	"Writes NAME.pub (the public key: build it into the app and pass it to\n"
	"gate_open() or --pack-key) and NAME.key (the secret key, mode 0600: keep it\n"
	"with the publisher and pass it to `gate pack --sign`). Refuses to overwrite.\n",
	65
};

static int on_option(gate_cli *cli, int opt, const char *arg, void *payload)
{
	(void)cli;
	if (opt == 'o') {
		*(const char **)payload = arg;
		return 0;
	}
	return cli_usage(&gate_cmd_keygen, "unknown option");
}

static int write_hex(const char *path, const unsigned char *key, size_t size, int mode)
{
	char hex[2 * GATE_PACK_SECRETKEYBYTES + 2];
	int fd;

	for (size_t i = 0; i < size; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	hex[2 * size] = '\n';
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) < 0)
		return cli_failf("cannot create %s: %s", path, strerror(errno));
	if (write(fd, hex, 2 * size + 1) != (ssize_t)(2 * size + 1) || fsync(fd) != 0) {
		close(fd);
		return cli_failf("cannot write %s", path);
	}
	close(fd);
	return CLI_OK;
}

static int run(gate_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned char pk[GATE_PACK_PUBLICKEYBYTES], sk[GATE_PACK_SECRETKEYBYTES];
	const char *name = NULL;
	char pub[4096], sec[4096];
	int first, rc;

	if ((rc = cli_parse(cli, &gate_cmd_keygen, argc, argv, "o:", longopts, on_option, &name, &first)) != 0)
		return rc < 0 ? CLI_OK : rc;
	if (!name || first < argc)
		return cli_usage(&gate_cmd_keygen, name ? "unexpected argument" : "name the key pair with -o NAME");
	snprintf(pub, sizeof(pub), "%s.pub", name);
	snprintf(sec, sizeof(sec), "%s.key", name);
	if (access(pub, F_OK) == 0 || access(sec, F_OK) == 0)
		return cli_failf("%s or %s already exists; keygen never overwrites a key", pub, sec);
	if (gate_pack_keygen(pk, sk) < 0)
		return cli_fail();
	if ((rc = write_hex(sec, sk, sizeof(sk), 0600)) != CLI_OK)
		return rc;
	if ((rc = write_hex(pub, pk, sizeof(pk), 0644)) != CLI_OK) {
		unlink(sec);
		return rc;
	}
	if (cli->json) {
		printf("{\"public_key\": ");
		cli_json_string(stdout, pub);
		printf(", \"secret_key\": ");
		cli_json_string(stdout, sec);
		printf("}\n");
	} else {
		printf("Wrote %s (give it to the app) and %s (keep it secret)\n", pub, sec);
	}
	return CLI_OK;
}
