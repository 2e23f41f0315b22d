// The read floor of a build: open, fstat, read and close every file named on standard input (NUL-separated, as
// `find -print0` gives them) with T threads, and nothing else.
//   find DIR -type f -print0 | read T
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char **paths;
static long count;
static int threads;

static void *work(void *argument) {
    static __thread char buffer[1 << 20];
    long total = 0;
    for (long i = (long)argument; i < count; i += threads) {
        int file = open(paths[i], O_RDONLY | O_CLOEXEC);
        if (file < 0) { perror(paths[i]); exit(1); }
        struct stat status;
        fstat(file, &status);
        ssize_t got;
        while ((got = read(file, buffer, sizeof buffer)) > 0) total += got;
        close(file);
    }
    return (void *)total;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: read THREADS < NUL-separated paths\n"); return 2; }
    threads = atoi(argv[1]);
    size_t capacity = 1 << 16;
    paths = malloc(capacity * sizeof *paths);
    char *line = NULL;
    size_t length = 0;
    while (getdelim(&line, &length, 0, stdin) > 0) {
        if ((size_t)count == capacity) paths = realloc(paths, (capacity *= 2) * sizeof *paths);
        paths[count++] = strdup(line);
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t workers[64];
    long total = 0;
    for (long t = 0; t < threads; t++) pthread_create(&workers[t], NULL, work, (void *)t);
    for (int t = 0; t < threads; t++) {
        void *bytes;
        pthread_join(workers[t], &bytes);
        total += (long)bytes;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("read floor: %ld files, %ld bytes in %.1f s\n", count, total,
           (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
