/* rpc-load: closed-loop load generator for a newline-delimited RPC server on a Unix socket.
 *
 * usage: rpc-load [--expect SUBSTRING] [--warmup SECONDS] SOCKET CLIENTS SECONDS 'LINE'
 *
 * CLIENTS threads, each with its own connection, send LINE + "\n" and wait for one whole response
 * line, again and again. After a warmup (default 0.5 s, not counted) every round trip is timed
 * with CLOCK_MONOTONIC for SECONDS. A response is an error when it is an empty line, or lacks
 * SUBSTRING (--expect); errors are counted, not timed. A broken connection counts as an error and
 * is opened again. Responses may come in any number of reads and be of any size (one buffer per
 * client, grown as needed). Prints one JSON object:
 *   {"clients", "seconds", "requests", "rps", "p50_us", "p99_us", "errors", "resp_bytes"}
 * where requests are the round trips that completed in the window, rps = requests / SECONDS,
 * and resp_bytes is the mean response size (newline included). Exit 1 if no request succeeded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    pthread_t tid;
    uint64_t *lat; /* round-trip latencies (ns) of the timed requests */
    size_t n, cap;
    uint64_t errors, bytes;
} client_t;

static struct sockaddr_un addr = {.sun_family = AF_UNIX};
static const char *req, *expect;
static size_t req_len;
static uint64_t t_begin, t_end; /* the timed window, CLOCK_MONOTONIC ns */
static pthread_barrier_t ready;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int in_window(uint64_t t) { return t >= t_begin && t <= t_end; }

static int dial(void) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) return fd;
    if (fd >= 0) close(fd);
    return -1;
}

static void record(client_t *c, uint64_t ns) {
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 65536;
        c->lat = realloc(c->lat, c->cap * sizeof *c->lat);
        if (!c->lat) { perror("rpc-load: realloc"); exit(1); }
    }
    c->lat[c->n++] = ns;
}

static void *run(void *arg) {
    client_t *c = arg;
    size_t cap = 65536, len = 0; /* len: bytes read past the previous response (normally 0) */
    char *buf = malloc(cap);
    int fd = dial();
    if (!buf) { perror("rpc-load: malloc"); exit(1); }
    pthread_barrier_wait(&ready); /* connected */
    pthread_barrier_wait(&ready); /* main has set the window */
    for (;;) {
        if (fd < 0) { /* (re)connect; a failure is an error, retried after 10 ms */
            if (now_ns() >= t_end) break;
            if ((fd = dial()) < 0) {
                if (in_window(now_ns())) c->errors++;
                usleep(10000);
                continue;
            }
            len = 0;
        }
        uint64_t t0 = now_ns();
        if (t0 >= t_end) break;
        size_t off = 0; /* send the request, even if the socket takes it in parts */
        while (off < req_len) {
            ssize_t n = send(fd, req + off, req_len - off, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) goto broken;
            off += (size_t)n;
        }
        char *nl; /* read until a newline; scan only the bytes just read */
        size_t scanned = 0;
        while (!(nl = memchr(buf + scanned, '\n', len - scanned))) {
            scanned = len;
            if (cap - len < 65536) {
                cap *= 2;
                if (!(buf = realloc(buf, cap))) { perror("rpc-load: realloc"); exit(1); }
            }
            ssize_t n = read(fd, buf + len, cap - len);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) goto broken;
            len += (size_t)n;
        }
        uint64_t t1 = now_ns();
        size_t line = (size_t)(nl - buf) + 1;
        int ok = line > 1 && (!expect || memmem(buf, line - 1, expect, strlen(expect)));
        if (in_window(t1)) { /* completed in the window: counted */
            if (ok) record(c, t1 - t0), c->bytes += line;
            else c->errors++;
        }
        memmove(buf, buf + line, len - line); /* keep anything after the line */
        len -= line;
        continue;
    broken:
        if (in_window(now_ns())) c->errors++;
        close(fd);
        fd = -1;
    }
    if (fd >= 0) close(fd);
    free(buf);
    return NULL;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void usage(void) {
    fprintf(stderr, "usage: rpc-load [--expect SUBSTRING] [--warmup SECONDS] SOCKET CLIENTS SECONDS 'LINE'\n");
    exit(2);
}

int main(int argc, char **argv) {
    double warmup = 0.5;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
        if (!strcmp(argv[i], "--expect")) expect = argv[i + 1];
        else if (!strcmp(argv[i], "--warmup")) warmup = atof(argv[i + 1]);
        else usage();
    }
    if (argc - i != 4) usage();
    const char *path = argv[i];
    int clients = atoi(argv[i + 1]);
    double seconds = atof(argv[i + 2]);
    if (clients < 1 || seconds <= 0 || warmup < 0 || strlen(path) >= sizeof addr.sun_path) usage();
    strcpy(addr.sun_path, path);
    size_t n = strlen(argv[i + 3]);
    char *line = malloc(n + 1);
    memcpy(line, argv[i + 3], n);
    line[n] = '\n';
    req = line, req_len = n + 1;

    client_t *cs = calloc((size_t)clients, sizeof *cs);
    pthread_barrier_init(&ready, NULL, (unsigned)clients + 1);
    for (int k = 0; k < clients; k++) {
        if (pthread_create(&cs[k].tid, NULL, run, &cs[k])) { perror("rpc-load: pthread_create"); return 1; }
    }
    /* The window starts once every client has connected (or failed to). */
    pthread_barrier_wait(&ready);
    t_begin = now_ns() + (uint64_t)(warmup * 1e9);
    t_end = t_begin + (uint64_t)(seconds * 1e9);
    pthread_barrier_wait(&ready);

    size_t total = 0;
    uint64_t errors = 0, bytes = 0;
    for (int k = 0; k < clients; k++) {
        pthread_join(cs[k].tid, NULL);
        total += cs[k].n, errors += cs[k].errors, bytes += cs[k].bytes;
    }
    uint64_t *all = malloc((total ? total : 1) * sizeof *all);
    size_t at = 0;
    for (int k = 0; k < clients; k++) {
        if (cs[k].n) memcpy(all + at, cs[k].lat, cs[k].n * sizeof *all);
        at += cs[k].n;
        free(cs[k].lat);
    }
    qsort(all, total, sizeof *all, cmp_u64);
    /* percentile p: the sample of rank round((n - 1) * p) */
    double p50 = total ? all[(size_t)((total - 1) * 0.50 + 0.5)] / 1e3 : 0;
    double p99 = total ? all[(size_t)((total - 1) * 0.99 + 0.5)] / 1e3 : 0;
    printf("{\"clients\": %d, \"seconds\": %g, \"requests\": %zu, \"rps\": %.1f, \"p50_us\": %.1f, "
           "\"p99_us\": %.1f, \"errors\": %llu, \"resp_bytes\": %.0f}\n",
           clients, seconds, total, total / seconds, p50, p99, (unsigned long long)errors,
           total ? (double)bytes / total : 0.0);
    return total ? 0 : 1;
}
