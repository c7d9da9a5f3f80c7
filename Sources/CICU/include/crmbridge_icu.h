#ifndef CRMBRIDGE_ICU_H
#define CRMBRIDGE_ICU_H

#include <stddef.h>
#include <stdint.h>

/* A streaming converter from a legacy encoding to UTF-8, behind plain C types so that Swift
   modules that import Foundation (which carries its own ICU) can use the system ICU. */
typedef struct cb_converter cb_converter;

/* Opens a converter for an ICU encoding name ("GB18030", "GBK", "UTF-16LE", ...).
   Returns NULL and writes a message into `error` when ICU does not know the name.
   `by_table` non-zero: GB18030 and GBK decode ASCII and two-byte characters by a table made
   from ICU, the rest through ICU, with the same output as ICU alone (0: ICU alone, for tests). */
cb_converter *cb_converter_open(const char *name, int by_table, char *error, size_t error_capacity);
void cb_converter_close(cb_converter *converter);

/* Converts `source` to UTF-8 into `target`. Bytes that are invalid for the encoding become
   U+FFFD and are counted in the converter's invalid count. `flush` is non-zero for the last
   chunk of the input. Returns 0 on success, or an ICU error code; `consumed` and `produced`
   say how far it got (call again with the rest when target filled up). */
int cb_converter_to_utf8(cb_converter *converter,
                         const char *source, size_t source_length,
                         char *target, size_t target_capacity,
                         int flush, size_t *consumed, size_t *produced);

/* Number of invalid byte sequences replaced since the converter was opened. */
uint64_t cb_converter_invalid_count(const cb_converter *converter);

/* ---- Transliteration (icu_transliterator.c; used by the name normalizer's tests) ---- */

/* Runs the ICU transform `transform` ("Han-Latin", "Han-Latin; Latin-ASCII") over the UTF-8
   text `source` and writes the result, NUL-terminated, into `target`. Returns its length in
   bytes, or -1 when the transform is unknown or the result does not fit. Opens the transform on
   every call: slow, for checks, not for rows. */
int32_t cb_transliterate(const char *transform, const char *source, size_t source_length,
                         char *target, size_t target_capacity);

/* ---- Regular expressions with a work limit (icu_regex.c; the pipeline's row rules) ---- */

/* A compiled ICU pattern over UTF-8 text. Not thread-safe: one per reading thread. */
typedef struct cb_regex cb_regex;

/* Compiles `pattern` (UTF-8). `step_limit` bounds the match engine's work per search, in ICU's
   steps (roughly milliseconds each); 0 means none. Returns NULL and writes a message into
   `error` when the pattern is not valid. */
cb_regex *cb_regex_open(const char *pattern, size_t pattern_length, int32_t step_limit,
                        char *error, size_t error_capacity);
void cb_regex_close(cb_regex *regex);

/* Searches the UTF-8 `text` for the pattern: 1 found, 0 not found, -1 the step limit was
   reached, -2 another ICU failure (the stack limit, bad UTF-8). */
int cb_regex_find(cb_regex *regex, const char *text, size_t text_length);

#endif
