#include "crmbridge_crc32.h"
#include <zlib.h>

/* zlib's CRC-32 works a word at a time (and with CPU instructions where it has them), many
   times faster than ZIPFoundation's byte table in Swift. */
uint32_t cb_crc32(uint32_t crc, const uint8_t *bytes, size_t count) {
    return (uint32_t)crc32_z(crc, bytes, count);
}
