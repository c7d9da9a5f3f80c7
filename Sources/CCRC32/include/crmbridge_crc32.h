#ifndef CRMBRIDGE_CRC32_H
#define CRMBRIDGE_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* zlib's CRC-32 behind plain C types: ZIPFoundation already brings a module for zlib.h, and a
   second one would make every zlib name ambiguous in Swift. */
uint32_t cb_crc32(uint32_t crc, const uint8_t *bytes, size_t count);

#endif
