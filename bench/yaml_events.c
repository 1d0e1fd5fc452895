/*
 * yaml_events: the raw libyaml event-parse rate of a catalog, the baseline for `rbx lint`.
 *
 *     gcc -O2 -o bench/bin/yaml_events bench/yaml_events.c -lyaml
 *     bench/bin/yaml_events DIR [REPEATS]
 *
 * Reads every *.yaml / *.yml file under DIR (recursively, skipping hidden files and
 * directories, as rbx does) into memory first, then times parsing all of them with
 * yaml_parser_parse, events only: each event is deleted at once, no tree is built. The whole
 * pass is repeated REPEATS times (default 5) and the best pass is reported:
 *
 *     libyaml_events files=2022 bytes=5851397 events=1234567 seconds=0.061234 mib_per_s=91.13
 *
 * Exits 1 if a file fails to parse (its name and libyaml's message go to stderr), 2 on usage
 * or I/O errors.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <yaml.h>

struct file {
    char *path;
    unsigned char *data;
    size_t size;
};

static struct file *files;
static size_t nfiles, capfiles;

static int has_yaml_suffix(const char *name) {
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static void read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "yaml_events: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fprintf(stderr, "yaml_events: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    size_t size = (size_t)st.st_size;
    unsigned char *data = malloc(size ? size : 1);
    if (!data || fread(data, 1, size, f) != size) {
        fprintf(stderr, "yaml_events: cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    if (nfiles == capfiles) {
        capfiles = capfiles ? capfiles * 2 : 1024;
        files = realloc(files, capfiles * sizeof *files);
        if (!files) {
            fprintf(stderr, "yaml_events: out of memory\n");
            exit(2);
        }
    }
    files[nfiles].path = strdup(path);
    files[nfiles].data = data;
    files[nfiles].size = size;
    nfiles++;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Depth-first, entries in name order so runs are reproducible. */
static void walk(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "yaml_events: %s: %s\n", dir, strerror(errno));
        exit(2);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* ., .., and hidden entries */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + 1 + strlen(names[i]) + 1;
        char *path = malloc(len);
        snprintf(path, len, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                walk(path);
            else if (S_ISREG(st.st_mode) && has_yaml_suffix(names[i]))
                read_file(path);
        }
        free(path);
        free(names[i]);
    }
    free(names);
}

/* Parses one buffer to the end of the stream; returns the number of events, or -1. */
static long parse_events(const struct file *f) {
    yaml_parser_t parser;
    yaml_event_t event;
    long events = 0;
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "yaml_events: cannot initialize libyaml\n");
        exit(2);
    }
    yaml_parser_set_input_string(&parser, f->data, f->size);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "yaml_events: %s:%zu:%zu: %s\n", f->path,
                    parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                    parser.problem ? parser.problem : "parse error");
            yaml_parser_delete(&parser);
            return -1;
        }
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        events++;
        if (done) break;
    }
    yaml_parser_delete(&parser);
    return events;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: yaml_events DIR [REPEATS]\n");
        return 2;
    }
    int repeats = argc == 3 ? atoi(argv[2]) : 5;
    if (repeats < 1) {
        fprintf(stderr, "yaml_events: REPEATS must be a positive integer\n");
        return 2;
    }
    walk(argv[1]);
    if (nfiles == 0) {
        fprintf(stderr, "yaml_events: no *.yaml or *.yml files under %s\n", argv[1]);
        return 2;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < nfiles; i++) bytes += files[i].size;

    double best = -1;
    long events = 0;
    for (int r = 0; r < repeats; r++) {
        long pass_events = 0;
        double start = now();
        for (size_t i = 0; i < nfiles; i++) {
            long n = parse_events(&files[i]);
            if (n < 0) return 1;
            pass_events += n;
        }
        double elapsed = now() - start;
        if (best < 0 || elapsed < best) best = elapsed;
        events = pass_events;
    }
    printf("libyaml_events files=%zu bytes=%zu events=%ld repeats=%d seconds=%.6f mib_per_s=%.2f\n",
           nfiles, bytes, events, repeats, best, (double)bytes / (1024.0 * 1024.0) / best);
    return 0;
}
