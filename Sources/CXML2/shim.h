#ifndef CRMBRIDGE_CXML2_SHIM_H
#define CRMBRIDGE_CXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, and encoding.h then includes ICU's headers: Foundation ships
// its own ICU module and Swift rejects the second definition of its types. crmbridge never uses
// libxml2's ICU converters, so the declarations that need them are left out.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>

#endif
