// csyncfs: syncfs(2) for Swift, which cannot see glibc's _GNU_SOURCE declaration.
#ifndef CSYNCFS_H
#define CSYNCFS_H

/// Flushes the file system holding the open file descriptor `fd`; 0 on success, -1 and errno
/// on failure. Where syncfs(2) does not exist, flushes every file system with sync(2).
int faigen_syncfs(int fd);

#endif
