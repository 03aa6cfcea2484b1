/* echo-server: the ceiling for a newline-delimited RPC server on a Unix socket.
 *
 * usage: echo-server SOCKET_PATH
 *
 * One thread, one epoll set, level-triggered. Every complete line a client sends is written back
 * at once (a partial line waits for its newline); any number of clients. A stale socket file is
 * removed at start, and the socket file again on SIGTERM/SIGINT, which end the server.
 *
 * One thread because on 2 cores the load generator needs the other core: a thread per client
 * context-switches on every round trip, while one epoll_wait hands over many ready clients at
 * once under load.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct {
    int fd;
    char *buf;        /* bytes read; [0, out) are complete lines not yet written back */
    size_t len, cap;  /* bytes held, allocated */
    size_t out, sent; /* end of the complete lines, how much of them was written */
} conn_t;

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static void drop(int ep, conn_t *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->buf);
    free(c);
}

/* Write back what is complete. Returns 0 when all was written, 1 when the socket is full, -1 on error. */
static int flush_lines(conn_t *c) {
    while (c->sent < c->out) {
        ssize_t n = send(c->fd, c->buf + c->sent, c->out - c->sent, MSG_NOSIGNAL);
        if (n < 0) return errno == EAGAIN ? 1 : errno == EINTR ? 0 : -1;
        c->sent += (size_t)n;
    }
    memmove(c->buf, c->buf + c->out, c->len - c->out); /* keep the partial line */
    c->len -= c->out;
    c->out = c->sent = 0;
    return 0;
}

/* Readable: read once, echo the complete lines. While the client does not take its answers,
 * stop reading from it (EPOLLOUT only) rather than buffer without bound. */
static int on_readable(int ep, conn_t *c) {
    if (c->cap - c->len < 4096) {
        size_t cap = c->cap ? c->cap * 2 : 16384;
        char *b = realloc(c->buf, cap);
        if (!b) return -1;
        c->buf = b, c->cap = cap;
    }
    ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len);
    if (n == 0) return -1;
    if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : -1;
    size_t scanned = c->len;
    c->len += (size_t)n;
    char *nl = memrchr(c->buf + scanned, '\n', (size_t)n);
    if (!nl) return 0;
    c->out = (size_t)(nl - c->buf) + 1;
    int r = flush_lines(c);
    if (r == 1) {
        struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    }
    return r < 0 ? -1 : 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: echo-server SOCKET_PATH\n");
        return 2;
    }
    const char *path = argv[1];
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) {
        fprintf(stderr, "echo-server: socket path too long: %s\n", path);
        return 2;
    }
    strcpy(addr.sun_path, path);

    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: epoll_wait returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    unlink(path); /* a stale socket from an earlier run */
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 1024) < 0) {
        fprintf(stderr, "echo-server: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL}; /* NULL marks the listener */
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);

    struct epoll_event evs[256];
    while (!stop) {
        int n = epoll_wait(ep, evs, 256, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("echo-server: epoll_wait");
            break;
        }
        for (int i = 0; i < n; i++) {
            conn_t *c = evs[i].data.ptr;
            if (!c) { /* accept everything pending */
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    conn_t *nc = calloc(1, sizeof *nc);
                    if (!nc) { close(fd); continue; }
                    nc->fd = fd;
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = nc};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
                }
                continue;
            }
            int r;
            if (c->out) { /* waiting to write back: EPOLLOUT (or an error) */
                r = flush_lines(c);
                if (r == 0) {
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            } else {
                r = on_readable(ep, c);
            }
            if (r < 0) drop(ep, c);
        }
    }
    unlink(path);
    return 0;
}
