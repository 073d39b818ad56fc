/* fuzz_pack.c: the pack reader. The first input byte picks what the rest is:
 * even, a whole pack file (envelope checks); odd, a raw payload sealed into a
 * valid envelope here, so that the fuzzer reaches the payload parser. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *sealed;
	uLongf clen;
	gate_pack_info info;

	if (size == 0)
		return 0;
	if (sodium_init() < 0)
		abort();
	if ((data[0] & 1) == 0) {
		gate__pack_check_buffer(data + 1, size - 1, NULL, &info);
		return 0;
	}
	data++;
	size--;
	clen = compressBound(size);
	if (!(sealed = malloc(GATE__PACK_HEADER + clen + GATE__PACK_HASH)))
		return 0;
	memcpy(sealed, GATE__PACK_MAGIC, 8);
	gate__le32(sealed + 8, GATE__PACK_FORMAT);
	gate__le32(sealed + 12, 0);
	gate__le64(sealed + 16, 0);
	memset(sealed + 24, '0', 40);
	gate__le64(sealed + 64, size);
	if (compress2(sealed + GATE__PACK_HEADER, &clen, data, size, 1) != Z_OK)
		abort();
	gate__le64(sealed + 72, clen);
	crypto_hash_sha256(sealed + GATE__PACK_HEADER + clen, sealed, GATE__PACK_HEADER + clen);
	if (gate__pack_check_buffer(sealed, GATE__PACK_HEADER + clen + GATE__PACK_HASH, NULL, &info) == 0) {
		/* what parsed must describe no more than the payload holds */
		if (info.raw_size != size || info.text_bytes > size)
			abort();
	}
	free(sealed);
	return 0;
}
