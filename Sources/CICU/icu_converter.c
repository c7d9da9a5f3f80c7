#include "crmbridge_icu.h"

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

cb_converter *cb_converter_open(const char *name, char *error, size_t error_capacity) {
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
    return converter;
}

void cb_converter_close(cb_converter *converter) {
    if (!converter) return;
    ucnv_close(converter->source);
    ucnv_close(converter->utf8);
    free(converter);
}

int cb_converter_to_utf8(cb_converter *converter,
                         const char *source, size_t source_length,
                         char *target, size_t target_capacity,
                         int flush, size_t *consumed, size_t *produced) {
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

uint64_t cb_converter_invalid_count(const cb_converter *converter) {
    return converter->invalid;
}
