// CZlib: zlib's deflate, inflate and crc32 for Swift (apt: zlib1g-dev), for build archives.
#ifndef FAIGEN_CZLIB_SHIM_H
#define FAIGEN_CZLIB_SHIM_H
#include <zlib.h>
#endif
