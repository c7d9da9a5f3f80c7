#include "crmbridge_icu.h"

#include <stdlib.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

/* ICU transforms for the name normalizer's checks. The normalizer itself reads a table generated
   from ICU once (scripts/gen_pinyin.py): opening a transliterator costs milliseconds and running
   it ~30 µs per name. This is how tests compare that table with the ICU on the machine. */

int32_t cb_transliterate(const char *transform, const char *source, size_t source_length,
                         char *target, size_t target_capacity) {
    if (source_length > (1 << 20)) return -1;
    UErrorCode status = U_ZERO_ERROR;
    UChar id[128];
    u_strFromUTF8(id, 128, NULL, transform, -1, &status);
    if (U_FAILURE(status)) return -1;

    /* A Han character (3 UTF-8 bytes, 1 UTF-16 unit) becomes at most seven units (zhuang plus a
       blank): eight units per source byte is room enough. */
    int32_t capacity = (int32_t)source_length * 8 + 64;
    UChar *text = malloc((size_t)capacity * sizeof(UChar));
    if (!text) return -1;
    int32_t length = 0;
    u_strFromUTF8(text, capacity, &length, source, (int32_t)source_length, &status);
    UTransliterator *trans = U_SUCCESS(status)
        ? utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status) : NULL;
    if (U_FAILURE(status)) { free(text); return -1; }
    int32_t limit = length;
    utrans_transUChars(trans, text, &length, capacity, 0, &limit, &status);
    utrans_close(trans);

    int32_t written = -1;
    if (U_SUCCESS(status) && length < capacity) {
        u_strToUTF8(target, (int32_t)target_capacity, &written, text, length, &status);
        if (U_FAILURE(status) || (size_t)written >= target_capacity) written = -1;
        else target[written] = '\0';
    }
    free(text);
    return written;
}
