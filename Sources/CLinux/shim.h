#include <fcntl.h>
#include <linux/falloc.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <errno.h>

/* The Linux calls and flags Swift's Glibc module leaves out: glibc declares them only under _GNU_SOURCE, and spells
   some flags as macros Swift cannot import. */

/* fallocate(2); with FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE it gives a range of a file's storage back. */
int fallocate(int fd, int mode, off_t offset, off_t len);

/* memmem(3): where one run of bytes first occurs in another (the audit looks for dates in every page's text). */
void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);

/* open(2) flag: a file without a name in the given folder, gone when its last descriptor closes. */
#ifndef O_TMPFILE
static const int O_TMPFILE = __O_TMPFILE | O_DIRECTORY;
#endif

/* posix_spawnattr_setflags(3) flag: the child starts a session of its own (setsid). */
#ifndef POSIX_SPAWN_SETSID
static const short POSIX_SPAWN_SETSID = 0x80;
#endif

/* renameat2(2) flag: swap the two paths in one step. */
#ifndef RENAME_EXCHANGE
static const unsigned int RENAME_EXCHANGE = 1 << 1;
#endif

/* renameat2(2) with RENAME_EXCHANGE on two paths relative to the current directory: 0 when they were swapped, else
   -1 with errno set. Made through syscall(2), since glibc wraps renameat2 only from 2.28 (Amazon Linux 2 has 2.26);
   a kernel without it (before 3.15) or a file system that cannot exchange answers -1, and the caller renames twice. */
static inline int rename_exchange(const char *a, const char *b) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}
