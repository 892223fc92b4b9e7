// CLibCrypto: OpenSSL's SHA-256 for Swift (apt: libssl-dev); the release binary links only the
// SHA-256 objects of libcrypto.a (about 25 KB), where swift-crypto brought all of BoringSSL.
#ifndef FAIGEN_CLIBCRYPTO_SHIM_H
#define FAIGEN_CLIBCRYPTO_SHIM_H
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#endif
