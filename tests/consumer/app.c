/* app.c: the smallest program built against an installed libgate. */
#include <gate.h>
#include <stdio.h>

int main(void)
{
	printf("libgate %s\n", gate_version());
	return gate_strerror(GATE_ENOTFOUND)[0] ? 0 : 1;
}
