/* bench/floor.c: the two steps of a faigen build that no faigen code can make cheaper, timed
 * alone: libyaml reading a spec's events (`floor yaml FILE`), and zlib's level-6 deflate of
 * a tar in one stream, as `gzip -6` does it (`floor deflate FILE`). Prints milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>
#include <zlib.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: floor yaml|deflate FILE\n"); return 2; }
    FILE *file = fopen(argv[2], "rb");
    if (!file) { perror(argv[2]); return 1; }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    unsigned char *bytes = malloc(size > 0 ? size : 1);
    if (!bytes || fread(bytes, 1, size, file) != (size_t)size) { fprintf(stderr, "cannot read %s\n", argv[2]); return 1; }
    fclose(file);
    double start = now();
    if (strcmp(argv[1], "yaml") == 0) {
        yaml_parser_t parser;
        yaml_event_t event;
        long events = 0;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, bytes, size);
        for (;;) {
            if (!yaml_parser_parse(&parser, &event)) { fprintf(stderr, "not YAML\n"); return 1; }
            int end = event.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&event);
            events++;
            if (end) break;
        }
        yaml_parser_delete(&parser);
        printf("%.1f ms (%ld events)\n", now() - start, events);
    } else {
        z_stream stream;
        memset(&stream, 0, sizeof stream);
        deflateInit2(&stream, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        uLong bound = deflateBound(&stream, size);
        unsigned char *out = malloc(bound);
        stream.next_in = bytes;
        stream.avail_in = size;
        stream.next_out = out;
        stream.avail_out = bound;
        if (deflate(&stream, Z_FINISH) != Z_STREAM_END) { fprintf(stderr, "deflate failed\n"); return 1; }
        printf("%.1f ms (%lu bytes)\n", now() - start, stream.total_out);
        deflateEnd(&stream);
    }
    return 0;
}
