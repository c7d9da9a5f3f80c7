#ifndef CRMBRIDGE_CRC32_H
#define CRMBRIDGE_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* zlib's CRC-32 behind plain C types: ZIPFoundation already brings a module for zlib.h (CZlib,
   not one of its products), and a second module over the same header would clash with it. */
uint32_t cb_crc32(uint32_t crc, const uint8_t *bytes, size_t count);

#endif
