/* stamp: record "ARG1 <CLOCK_REALTIME ns>\n" as the very first thing a process does.
 * Output file, first match wins: argv[2], env STAMP_FILE, compile-time STAMP_DEFAULT_FILE.
 * The line is appended with one write(2) on an O_APPEND fd, so concurrent stamps do not interleave.
 * Build: gcc -O2 -o stamp stamp.c [-DSTAMP_DEFAULT_FILE='"/path/stamps.txt"'] */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#ifndef STAMP_DEFAULT_FILE
#define STAMP_DEFAULT_FILE ""
#endif

int main(int argc, char **argv) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);           /* first: take the timestamp */
    long long ns = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;

    const char *path = argc > 2 ? argv[2] : getenv("STAMP_FILE");
    if (path == NULL || *path == '\0') path = STAMP_DEFAULT_FILE;
    if (*path == '\0') { fprintf(stderr, "stamp: no output file (argv[2], STAMP_FILE)\n"); return 2; }

    char line[512];
    int n = snprintf(line, sizeof line, "%s %lld\n", argc > 1 ? argv[1] : "-", ns);
    if (n < 0 || n >= (int)sizeof line) return 2;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) { perror("stamp: open"); return 1; }
    if (write(fd, line, (size_t)n) != n) { perror("stamp: write"); close(fd); return 1; }
    close(fd);
    return 0;
}
