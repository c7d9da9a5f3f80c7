#ifndef CRMBRIDGE_CLIBPQ_SHIM_H
#define CRMBRIDGE_CLIBPQ_SHIM_H

// libpq, the PostgreSQL client library (Debian's libpq-dev, found through pkg-config): the
// PostgreSQL store uses it synchronously, as the SQLite store uses SQLite's C API.
#include <libpq-fe.h>

#endif
