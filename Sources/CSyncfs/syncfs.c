// syncfs.c: the one call of faigen that needs _GNU_SOURCE.
#define _GNU_SOURCE
#include <unistd.h>
#include "csyncfs.h"

int faigen_syncfs(int fd) {
#ifdef __linux__
    return syncfs(fd);
#else
    (void)fd;
    sync();
    return 0;
#endif
}
