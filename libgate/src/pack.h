/* pack.h: the pack file format shared by the writer and the reader (docs/pack-format.md). */
#ifndef GATE_PACK_H
#define GATE_PACK_H

#include "common.h"

#define GATE__PACK_MAGIC "GATEPACK"
#define GATE__PACK_FORMAT 1u
#define GATE__PACK_FLAG_SIGNED 1u
#define GATE__PACK_HEADER 80u
#define GATE__PACK_HASH 32u
#define GATE__PACK_SIG 64u
/* Limits a reader enforces before it inflates anything. */
#define GATE__PACK_MAX_FILE ((size_t)64 << 20)
#define GATE__PACK_MAX_RAW ((size_t)64 << 20)

static inline void gate__le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline void gate__le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline uint32_t gate__rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t gate__rd64(const unsigned char *p)
{
	return (uint64_t)gate__rd32(p) | (uint64_t)gate__rd32(p + 4) << 32;
}

/* Checks and parses a pack held in memory (the fuzz target's entry). */
int gate__pack_check_buffer(const unsigned char *data, size_t len, const unsigned char *public_key,
	gate_pack_info *info);

#endif
