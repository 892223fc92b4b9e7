// CPCRE2: the 8-bit PCRE2 API for Swift (apt: libpcre2-dev).
#ifndef FAIGEN_CPCRE2_SHIM_H
#define FAIGEN_CPCRE2_SHIM_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
