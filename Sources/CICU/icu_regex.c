#include "crmbridge_icu.h"

#include <stdio.h>
#include <stdlib.h>
#include <unicode/uregex.h>
#include <unicode/utext.h>

/* NSRegularExpression has no work limit: a pattern such as (a+)+$ on a long cell backtracks for
   ever and hangs the night's run. ICU's own API bounds it (uregex_setTimeLimit), and its stack
   limit keeps deep recursion from taking the process down. */

struct cb_regex {
    URegularExpression *regex;
    UText text;
};

cb_regex *cb_regex_open(const char *pattern, size_t pattern_length, int32_t step_limit,
                        char *error, size_t error_capacity) {
    if (pattern_length > INT32_MAX) {
        snprintf(error, error_capacity, "the pattern is too long");
        return NULL;
    }
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse;
    UText *text = utext_openUTF8(NULL, pattern, (int64_t)pattern_length, &status);
    URegularExpression *regex = uregex_openUText(text, 0, &parse, &status);
    utext_close(text);  /* the compiled pattern keeps its own copy */
    if (U_FAILURE(status)) {
        snprintf(error, error_capacity, "%s at offset %d", u_errorName(status), parse.offset);
        return NULL;
    }
    if (step_limit > 0) uregex_setTimeLimit(regex, step_limit, &status);
    uregex_setStackLimit(regex, 8 << 20, &status);
    if (U_FAILURE(status)) {
        snprintf(error, error_capacity, "%s", u_errorName(status));
        uregex_close(regex);
        return NULL;
    }
    cb_regex *result = calloc(1, sizeof(cb_regex));
    if (result == NULL) {
        uregex_close(regex);
        snprintf(error, error_capacity, "out of memory");
        return NULL;
    }
    result->regex = regex;
    UText empty = UTEXT_INITIALIZER;
    result->text = empty;
    return result;
}

void cb_regex_close(cb_regex *regex) {
    if (regex == NULL) return;
    uregex_close(regex->regex);
    utext_close(&regex->text);
    free(regex);
}

int cb_regex_find(cb_regex *regex, const char *text, size_t text_length) {
    if (text_length > INT32_MAX) return -2;
    UErrorCode status = U_ZERO_ERROR;
    utext_openUTF8(&regex->text, text, (int64_t)text_length, &status);
    if (U_FAILURE(status)) return -2;
    uregex_setUText(regex->regex, &regex->text, &status);
    if (U_FAILURE(status)) return -2;
    UBool found = uregex_find(regex->regex, 0, &status);
    if (status == U_REGEX_TIME_OUT) return -1;
    if (U_FAILURE(status)) return -2;
    return found ? 1 : 0;
}
