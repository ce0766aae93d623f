// The floor under business logic's CPU per frame: <tasks> processes that only receive. Each takes
// HTTP/1.1 POSTs of <body-file> at <fps> over one keep-alive loopback connection (one sender thread
// per connection, paced like a camera) and answers each with a small 200, reading the body in
// <read-chunk> pieces (default 64 KB, as business logic does). No parsing, no alarm work.
// Prints the receivers' CPU time per frame over <seconds> after <warmup> (utime + stime of each
// receiver from /proc/<pid>/stat, as bench/box-bench.sh counts business logic).
// usage: receive-floor <tasks> <fps> <seconds> <warmup> <body-file> [read-chunk] [-- receiver args...]
// With "-- receiver args...", each receiver is that program instead (started with its port as the last
// argument; it must listen on 127.0.0.1:<port> and serve one connection): bench/receive-floor.sh runs
// JavaReceiver.java this way, to measure what a JVM costs to receive the same frames.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static int chunk = 64 * 1024;
static const char ANSWER[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 22\r\n\r\n{\"code\":0,\"msg\":\"ok\"}\n";

static void receiver(int lfd) {
    int fd = accept(lfd, NULL, NULL);
    size_t cap = chunk + 65536;
    char *buf = malloc(cap);
    size_t have = 0;
    for (;;) {
        // find end of head
        char *end;
        while (!(end = memmem(buf, have, "\r\n\r\n", 4))) {
            ssize_t n = read(fd, buf + have, chunk);
            if (n <= 0) _exit(0);
            have += n;
        }
        long len = 0;
        char *cl = memmem(buf, end - buf, "Content-Length:", 15);
        if (cl) len = atol(cl + 15);
        size_t total = (end - buf) + 4 + len;
        if (total + chunk > cap) { cap = total + chunk; buf = realloc(buf, cap); }
        while (have < total) {
            size_t want = total - have; if (want > (size_t)chunk) want = chunk;
            ssize_t n = read(fd, buf + have, want);
            if (n <= 0) _exit(0);
            have += n;
        }
        if (write(fd, ANSWER, sizeof ANSWER - 1) < 0) _exit(0);
        memmove(buf, buf + total, have - total);
        have -= total;
    }
}

struct sender { int port; int fps; double until; char *req; size_t reqlen; long sent; };
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void *send_loop(void *arg) {
    struct sender *s = arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(s->port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int tries = 0; connect(fd, (void *)&a, sizeof a) < 0; tries++) { // a receiver program may still be starting
        if (tries == 300) { perror("connect"); return NULL; }
        close(fd); usleep(100000); fd = socket(AF_INET, SOCK_STREAM, 0);
    }
    int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    double next = now();
    char ans[4096];
    while (now() < s->until) {
        size_t off = 0;
        while (off < s->reqlen) { ssize_t n = write(fd, s->req + off, s->reqlen - off); if (n <= 0) return NULL; off += n; }
        ssize_t got = 0; // read the answer (sent in one write)
        while (!memmem(ans, got, "ok\"}\n", 5)) { ssize_t n = read(fd, ans + got, sizeof ans - got); if (n <= 0) return NULL; got += n; }
        __atomic_add_fetch(&s->sent, 1, __ATOMIC_RELAXED);
        next += 1.0 / s->fps;
        double d = next - now();
        if (d > 0) { struct timespec t = {(time_t)d, (long)((d - (time_t)d) * 1e9)}; nanosleep(&t, NULL); }
    }
    close(fd);
    return NULL;
}

static long cpu_ticks(pid_t p) {
    char path[64], b[1024]; snprintf(path, sizeof path, "/proc/%d/stat", p);
    FILE *f = fopen(path, "r"); if (!f) return 0; size_t n = fread(b, 1, sizeof b - 1, f); fclose(f); b[n] = 0;
    char *r = strrchr(b, ')'); long ut = 0, st = 0; int i = 0; char *tok = strtok(r + 2, " ");
    while (tok) { i++; if (i == 12) ut = atol(tok); if (i == 13) { st = atol(tok); break; } tok = strtok(NULL, " "); }
    return ut + st;
}

int main(int argc, char **argv) {
    int tasks = atoi(argv[1]), fps = atoi(argv[2]); double seconds = atof(argv[3]), warmup = atof(argv[4]);
    char **program = NULL;
    for (int i = 6; i < argc; i++) if (strcmp(argv[i], "--") == 0) { program = argv + i + 1; argc = i; break; }
    if (argc > 6) chunk = atoi(argv[6]);
    FILE *f = fopen(argv[5], "rb"); struct stat st; fstat(fileno(f), &st);
    char *body = malloc(st.st_size); if (fread(body, 1, st.st_size, f) != (size_t)st.st_size) { perror("read body"); return 1; } fclose(f);
    char head[256]; int hl = snprintf(head, sizeof head, "POST /frame HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %ld\r\n\r\n", (long)st.st_size);
    char *req = malloc(hl + st.st_size); memcpy(req, head, hl); memcpy(req + hl, body, st.st_size);
    pid_t pids[256]; int ports[256];
    for (int i = 0; i < tasks; i++) {
        int l = socket(AF_INET, SOCK_STREAM, 0); int one = 1; setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        bind(l, (void *)&a, sizeof a); listen(l, 4); socklen_t al = sizeof a; getsockname(l, (void *)&a, &al); ports[i] = ntohs(a.sin_port);
        pids[i] = fork();
        if (pids[i] == 0) {
            if (!program) receiver(l);
            close(l); // the program binds the port itself
            int n = 0; while (program[n]) n++;
            char port[16]; snprintf(port, sizeof port, "%d", ports[i]);
            char **args = calloc(n + 2, sizeof *args); memcpy(args, program, n * sizeof *args); args[n] = port;
            execvp(args[0], args); perror("exec receiver"); _exit(127);
        }
        close(l);
    }
    pthread_t th[256]; struct sender s[256]; double until = now() + warmup + seconds;
    for (int i = 0; i < tasks; i++) { s[i] = (struct sender){ports[i], fps, until, req, hl + st.st_size, 0}; pthread_create(&th[i], NULL, send_loop, &s[i]); }
    sleep((unsigned)warmup);
    long c0 = 0, f0 = 0; for (int i = 0; i < tasks; i++) { c0 += cpu_ticks(pids[i]); f0 += __atomic_load_n(&s[i].sent, __ATOMIC_RELAXED); }
    usleep((useconds_t)(seconds * 1e6));
    long c1 = 0, f1 = 0; for (int i = 0; i < tasks; i++) { c1 += cpu_ticks(pids[i]); f1 += __atomic_load_n(&s[i].sent, __ATOMIC_RELAXED); }
    double ms = (c1 - c0) * 1000.0 / sysconf(_SC_CLK_TCK);
    printf("%d receivers x %d fps, %ld-byte bodies, read chunk %d: %ld frames in %.0f s (%.1f/s), receivers' CPU %.0f ms = %.3f ms per frame\n",
           tasks, fps, (long)st.st_size, chunk, f1 - f0, seconds, (f1 - f0) / seconds, ms, ms / (f1 - f0));
    for (int i = 0; i < tasks; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < tasks; i++) { kill(pids[i], SIGTERM); waitpid(pids[i], NULL, 0); }
    return 0;
}
