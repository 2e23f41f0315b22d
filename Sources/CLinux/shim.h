#include <sys/types.h>

/* The Linux calls Swift's Glibc module leaves out: glibc declares them only under _GNU_SOURCE. */

/* fallocate(2); with FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE it gives a range of a file's storage back. */
int fallocate(int fd, int mode, off_t offset, off_t len);
