#include "crmbridge_zip.h"
#include <stdlib.h>
#include <zlib.h>

/* zlib's CRC-32 works a word at a time (and with CPU instructions where it has them), many
   times faster than ZIPFoundation's byte table in Swift. */
uint32_t cb_crc32(uint32_t crc, const uint8_t *bytes, size_t count) {
    return (uint32_t)crc32_z(crc, bytes, count);
}

struct cb_inflater {
    z_stream stream;
};

cb_inflater *cb_inflater_new(void) {
    cb_inflater *inflater = calloc(1, sizeof *inflater);
    if (inflater == NULL) return NULL;
    /* Negative window bits: raw deflate, as zip stores it (no zlib header or trailer). */
    if (inflateInit2(&inflater->stream, -MAX_WBITS) != Z_OK) {
        free(inflater);
        return NULL;
    }
    return inflater;
}

void cb_inflater_free(cb_inflater *inflater) {
    if (inflater == NULL) return;
    inflateEnd(&inflater->stream);
    free(inflater);
}

int cb_inflate(cb_inflater *inflater, const uint8_t *input, size_t input_count, size_t *consumed,
               uint8_t *output, size_t output_capacity, size_t *produced) {
    z_stream *stream = &inflater->stream;
    /* Both sizes come from crmbridge's own buffers of a few hundred KiB. */
    stream->next_in = (Bytef *)input;
    stream->avail_in = (uInt)input_count;
    stream->next_out = output;
    stream->avail_out = (uInt)output_capacity;
    int result = inflate(stream, Z_NO_FLUSH);
    *consumed = input_count - stream->avail_in;
    *produced = output_capacity - stream->avail_out;
    switch (result) {
    case Z_STREAM_END:
        return CB_INFLATE_END;
    case Z_OK:
        return CB_INFLATE_MORE;
    case Z_BUF_ERROR: /* no progress possible with what it was given: the caller gives more */
        return (*consumed == 0 && *produced == 0 && input_count > 0 && output_capacity > 0)
            ? CB_INFLATE_DAMAGED : CB_INFLATE_MORE;
    default:
        return CB_INFLATE_DAMAGED;
    }
}
