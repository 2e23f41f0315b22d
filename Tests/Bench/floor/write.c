// The write floor of a build: N folders, each with one index.html of SIZE bytes, spread over 7 column folders as a
// site's article pages are, written by T threads with mkdir/open/write/close and nothing else — what the kernel and
// the disk cost for a million-article output before any Markdown is read or any page is rendered.
//   write N T SIZE DIR
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int count, threads, size;
static const char *root;
static char *page;

static void *work(void *argument) {
    long first = (long)argument;
    char path[4096];
    for (int i = first; i < count; i += threads) {
        snprintf(path, sizeof path, "%s/column-%d/article-%07d", root, i % 7, i);
        if (mkdir(path, 0755) != 0) { perror(path); exit(1); }
        strcat(path, "/index.html");
        int file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (file < 0 || write(file, page, size) != size) { perror(path); exit(1); }
        close(file);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: write N THREADS SIZE DIR\n"); return 2; }
    count = atoi(argv[1]), threads = atoi(argv[2]), size = atoi(argv[3]), root = argv[4];
    page = malloc(size);
    memset(page, 'x', size);
    char path[4096];
    mkdir(root, 0755);
    for (int column = 0; column < 7; column++) {
        snprintf(path, sizeof path, "%s/column-%d", root, column);
        mkdir(path, 0755);
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t workers[64];
    for (long t = 0; t < threads; t++) pthread_create(&workers[t], NULL, work, (void *)t);
    for (int t = 0; t < threads; t++) pthread_join(workers[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("write floor: %d folders and files of %d bytes in %.1f s\n", count, size,
           (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
