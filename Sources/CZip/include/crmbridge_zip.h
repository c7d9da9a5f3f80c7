#ifndef CRMBRIDGE_ZIP_H
#define CRMBRIDGE_ZIP_H

#include <stddef.h>
#include <stdint.h>

/* zlib behind plain C types: ZIPFoundation already brings a module for zlib.h (CZLib, not one
   of its products), and a second module over the same header would clash with it. */

uint32_t cb_crc32(uint32_t crc, const uint8_t *bytes, size_t count);

/* A raw-deflate stream (zip method 8), inflated a buffer at a time. */
typedef struct cb_inflater cb_inflater;

/* NULL when zlib cannot allocate its state. */
cb_inflater *cb_inflater_new(void);
void cb_inflater_free(cb_inflater *inflater);

enum {
    CB_INFLATE_MORE = 0, /* wants more input, or more room for output */
    CB_INFLATE_END = 1,  /* the stream ended: no byte after it belongs to it */
    CB_INFLATE_DAMAGED = -1
};

/* Inflates from `input` (`*consumed` bytes of it are used) into `output` (`*produced` bytes
   written). Call again with the rest of the input, or with new input once all was consumed. */
int cb_inflate(cb_inflater *inflater, const uint8_t *input, size_t input_count, size_t *consumed,
               uint8_t *output, size_t output_capacity, size_t *produced);

#endif
