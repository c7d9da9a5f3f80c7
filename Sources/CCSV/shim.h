#include <csv.h>

/* libcsv's test for a blank around an unquoted field, which it would trim: nothing is one
   (a value's own spaces are the normalizers' business). A C function, not a Swift closure:
   libcsv calls it for every byte. */
static inline int cb_csv_never_blank(unsigned char c) {
    (void)c;
    return 0;
}
