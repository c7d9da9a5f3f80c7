#include "crmbridge_icu.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucnv_cb.h>

struct cb_converter {
    UConverter *source;
    UConverter *utf8;
    UChar pivot[4096];
    UChar *pivot_source;
    UChar *pivot_target;
    uint64_t invalid;
    int reset;
    /* GB18030 and GBK: the two-byte table of `pair_table`, or NULL. */
    const uint32_t *pairs;
    /* Whether ICU may hold part of a sequence from the last call (see `cb_converter_to_utf8`). */
    int icu_mid_sequence;
};

static const UChar replacement[] = {0xFFFD};

/* Counts every invalid or unmappable sequence and writes U+FFFD for it, so that a reader can
   reject the one row that holds it and go on with the file. */
static void count_and_substitute(const void *context, UConverterToUnicodeArgs *args,
                                 const char *bytes, int32_t length,
                                 UConverterCallbackReason reason, UErrorCode *error) {
    (void)bytes; (void)length;
    if (reason != UCNV_ILLEGAL && reason != UCNV_UNASSIGNED && reason != UCNV_IRREGULAR) return;
    cb_converter *converter = (cb_converter *)context;
    converter->invalid += 1;
    *error = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, replacement, 1, 0, error);
}

/* The two-byte half of GB18030 and GBK as a table, made once per process from ICU itself:
   ICU decodes a Chinese export through UTF-16 and back to UTF-8, most of a GBK file's read
   time, where a look-up per character does. An entry holds a pair's UTF-8 (up to 3 bytes) and
   its length in the top byte; 0 for a pair ICU does not map to one character without an error
   (those, and 4-byte sequences, still go through ICU). */
enum { PAIR_LEADS = 0xFE - 0x81 + 1, PAIR_TRAILS = 0xFE - 0x40 + 1 };

static void flag_error(const void *context, UConverterToUnicodeArgs *args, const char *bytes,
                       int32_t length, UConverterCallbackReason reason, UErrorCode *error) {
    (void)args; (void)bytes; (void)length;
    if (reason != UCNV_ILLEGAL && reason != UCNV_UNASSIGNED && reason != UCNV_IRREGULAR) return;
    *(int *)context = 1;
    /* Stop at the error: the pair is left to ICU's own handling in the stream. */
}

static uint32_t *build_pair_table(const char *name) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter *converter = ucnv_open(name, &status);
    if (U_FAILURE(status)) return NULL;
    int failed = 0;
    ucnv_setToUCallBack(converter, flag_error, &failed, NULL, NULL, &status);
    uint32_t *table = calloc(PAIR_LEADS * PAIR_TRAILS, sizeof(uint32_t));
    if (U_FAILURE(status) || table == NULL) {
        ucnv_close(converter);
        free(table);
        return NULL;
    }
    for (int lead = 0x81; lead <= 0xFE; lead++) {
        for (int trail = 0x40; trail <= 0xFE; trail++) {
            if (trail == 0x7F) continue;
            char pair[2] = {(char)lead, (char)trail};
            UChar out[4];
            failed = 0;
            status = U_ZERO_ERROR;
            ucnv_resetToUnicode(converter);
            int32_t count = ucnv_toUChars(converter, out, 4, pair, 2, &status);
            if (U_FAILURE(status) || failed || count != 1) continue;
            uint32_t c = out[0];
            if (c == 0xFFFD || (c >= 0xD800 && c <= 0xDFFF) || c < 0x80) continue;
            uint32_t entry;
            if (c < 0x800) {
                entry = 2u << 24 | (0xC0 | c >> 6) | (0x80 | (c & 0x3F)) << 8;
            } else {
                entry = 3u << 24 | (0xE0 | c >> 12) | (0x80 | (c >> 6 & 0x3F)) << 8 | (0x80 | (c & 0x3F)) << 16;
            }
            table[(lead - 0x81) * PAIR_TRAILS + (trail - 0x40)] = entry;
        }
    }
    ucnv_close(converter);
    return table;
}

static uint32_t *gb18030_pairs, *gbk_pairs;
static pthread_once_t gb18030_once = PTHREAD_ONCE_INIT, gbk_once = PTHREAD_ONCE_INIT;
static void build_gb18030(void) { gb18030_pairs = build_pair_table("GB18030"); }
static void build_gbk(void) { gbk_pairs = build_pair_table("GBK"); }

static const uint32_t *pair_table(const char *name) {
    if (strcmp(name, "GB18030") == 0) {
        pthread_once(&gb18030_once, build_gb18030);
        return gb18030_pairs;
    }
    if (strcmp(name, "GBK") == 0) {
        pthread_once(&gbk_once, build_gbk);
        return gbk_pairs;
    }
    return NULL;
}

cb_converter *cb_converter_open(const char *name, int by_table, char *error, size_t error_capacity) {
    UErrorCode status = U_ZERO_ERROR;
    cb_converter *converter = calloc(1, sizeof(cb_converter));
    if (!converter) { snprintf(error, error_capacity, "out of memory"); return NULL; }
    converter->source = ucnv_open(name, &status);
    if (U_FAILURE(status)) {
        snprintf(error, error_capacity, "unknown encoding '%s' (%s)", name, u_errorName(status));
        if (converter->source) ucnv_close(converter->source);
        free(converter);
        return NULL;
    }
    status = U_ZERO_ERROR;
    converter->utf8 = ucnv_open("UTF-8", &status);
    if (U_FAILURE(status)) {
        snprintf(error, error_capacity, "cannot open the UTF-8 converter (%s)", u_errorName(status));
        ucnv_close(converter->source);
        free(converter);
        return NULL;
    }
    status = U_ZERO_ERROR;
    ucnv_setToUCallBack(converter->source, count_and_substitute, converter, NULL, NULL, &status);
    converter->pivot_source = converter->pivot;
    converter->pivot_target = converter->pivot;
    converter->reset = 1;
    converter->pairs = by_table ? pair_table(name) : NULL;
    return converter;
}

void cb_converter_close(cb_converter *converter) {
    if (!converter) return;
    ucnv_close(converter->source);
    ucnv_close(converter->utf8);
    free(converter);
}

/* ICU's streaming conversion of source[0..<source_length]; returns an ICU status or 0. */
static int icu_to_utf8(cb_converter *converter, const char *source, size_t source_length,
                       char *target, size_t target_capacity, int flush,
                       size_t *consumed, size_t *produced) {
    UErrorCode status = U_ZERO_ERROR;
    const char *source_cursor = source;
    char *target_cursor = target;
    ucnv_convertEx(converter->utf8, converter->source,
                   &target_cursor, target + target_capacity,
                   &source_cursor, source + source_length,
                   converter->pivot, &converter->pivot_source, &converter->pivot_target,
                   converter->pivot + sizeof(converter->pivot) / sizeof(UChar),
                   (UBool)converter->reset, (UBool)(flush != 0), &status);
    converter->reset = 0;
    *consumed = (size_t)(source_cursor - source);
    *produced = (size_t)(target_cursor - target);
    if (status == U_BUFFER_OVERFLOW_ERROR) return 0;
    return U_FAILURE(status) ? (int)status : 0;
}

/* Where ICU is sure to hold nothing: just past a byte below 0x30, which no GB18030 or GBK
   sequence continues with (trail bytes are 0x30-0x39 and 0x40 up), so ICU has ended whatever
   came before it. Returns source_length when there is none. */
static size_t past_boundary(const unsigned char *source, size_t from, size_t source_length) {
    for (size_t at = from; at < source_length; at++) {
        if (source[at] < 0x30) return at + 1;
    }
    return source_length;
}

int cb_converter_to_utf8(cb_converter *converter,
                         const char *source, size_t source_length,
                         char *target, size_t target_capacity,
                         int flush, size_t *consumed, size_t *produced) {
    if (converter->pairs == NULL) {
        return icu_to_utf8(converter, source, source_length, target, target_capacity, flush, consumed, produced);
    }
    /* ASCII and two-byte characters by table; anything else (4-byte sequences, invalid bytes,
       a character cut by the chunk's end) through ICU, up to the next boundary, so that ICU's
       state is empty whenever the table takes over again. The caller's target holds 3 bytes
       per source byte: neither path can run out of it. */
    if (source_length == 0) {
        /* The end of the input: ICU flushes a character the last chunk cut. */
        if (flush) converter->icu_mid_sequence = 0;
        return icu_to_utf8(converter, source, 0, target, target_capacity, flush, consumed, produced);
    }
    const unsigned char *bytes = (const unsigned char *)source;
    unsigned char *out = (unsigned char *)target;
    size_t at = 0, written = 0;
    while (at < source_length) {
        if (!converter->icu_mid_sequence) {
            while (at < source_length) {
                unsigned char lead = bytes[at];
                if (lead < 0x80) {
                    out[written++] = lead;
                    at += 1;
                    continue;
                }
                if (lead == 0x80 || lead == 0xFF || at + 1 >= source_length) break;
                unsigned char trail = bytes[at + 1];
                if (trail < 0x40 || trail == 0x7F || trail == 0xFF) break;
                uint32_t entry = converter->pairs[(lead - 0x81) * PAIR_TRAILS + (trail - 0x40)];
                if (entry == 0) break;
                out[written] = (unsigned char)entry;
                out[written + 1] = (unsigned char)(entry >> 8);
                out[written + 2] = (unsigned char)(entry >> 16);
                written += entry >> 24;
                at += 2;
            }
            if (at == source_length) break;
        }
        size_t end = past_boundary(bytes, at, source_length);
        int last = end == source_length;
        size_t used = 0, made = 0;
        int status = icu_to_utf8(converter, source + at, end - at, target + written, target_capacity - written,
                                 last && flush, &used, &made);
        if (status != 0) return status;
        int full = used < end - at;
        at += used;
        written += made;
        if (full) break; /* the target is full: the caller comes back for the rest */
        /* Past a boundary ICU holds nothing; at the chunk's end it may hold a cut character. */
        converter->icu_mid_sequence = last && !flush && bytes[end - 1] >= 0x30;
    }
    *consumed = at;
    *produced = written;
    return 0;
}

uint64_t cb_converter_invalid_count(const cb_converter *converter) {
    return converter->invalid;
}
