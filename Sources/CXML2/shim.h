#ifndef CRMBRIDGE_CXML2_SHIM_H
#define CRMBRIDGE_CXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, and encoding.h then includes ICU's headers: Foundation ships
// its own ICU module and Swift rejects the second definition of its types. crmbridge never uses
// libxml2's ICU converters, so the declarations that need them are left out.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

static inline void cb_xml_discard(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

/* Some of libxml2's errors go to no parser: an encoding error ("input conversion failed"), the
   push parser's "xmlParseChunk: encoder error". It writes those to stderr, past crmbridge's own
   messages, quoting input bytes. Every reader reports such a halt itself (a bad_encoding record,
   a premature end), so they are dropped. The handler is per thread; call this on each thread
   before it parses. A C function: the handler is variadic, which Swift cannot write. */
static inline void cb_xml_silence_thread(void) {
    xmlSetGenericErrorFunc(NULL, cb_xml_discard);
}

#endif
