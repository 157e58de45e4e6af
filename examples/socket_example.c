/*
 * A socket handler created from C: records go as MessagePack frames to a
 * receiver (cmd/femtolog-receiver, docs/socket-frames.md).
 *
 *     socket_example unix PATH          send to a receiver's Unix socket
 *     socket_example tcp HOST PORT      send over TCP
 *     socket_example peer-gone          send to a peer that vanishes
 *
 * The handler is built from the same JSON spec the Python
 * SocketHandlerBuilder produces; one entry point, femtolog_handler_create,
 * serves every handler kind. `make test-c-socket` runs the first and last
 * forms and checks what the receiver wrote.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "femtolog.h"

#define RECORDS 100

/* check prints the library's message for a failed call and exits. */
static void check(int status, const char *what) {
    if (status < 0) {
        fprintf(stderr, "%s failed (%d): %s\n", what, status, femtolog_last_error());
        femtolog_shutdown(1000);
        _Exit(1);
    }
}

/* make_handler creates a socket handler from a JSON spec and attaches it. */
static femtolog_handler_t make_handler(femtolog_logger_t logger, const char *spec) {
    femtolog_handler_t handler = 0;
    check(femtolog_handler_create(&handler, spec, strlen(spec)), "femtolog_handler_create");
    check(femtolog_logger_add_handler(logger, handler), "femtolog_logger_add_handler");
    return handler;
}

static void log_records(femtolog_logger_t logger, const char *prefix, int n) {
    char msg[64];
    for (int i = 0; i < n; i++) {
        int len = snprintf(msg, sizeof msg, "%s %d", prefix, i);
        check(femtolog_logger_log(logger, FEMTOLOG_LEVEL_INFO, msg, (size_t)len, 0),
              "femtolog_logger_log");
    }
}

/* print_stats prints the handler's counts; every record is in one of them. */
static femtolog_handler_stats print_stats(femtolog_handler_t handler) {
    femtolog_handler_stats st;
    check(femtolog_handler_get_stats(&st, handler), "femtolog_handler_get_stats");
    printf("delivered %llu dropped %llu failed %llu\n", (unsigned long long)st.delivered,
           (unsigned long long)st.dropped, (unsigned long long)st.failed);
    return st;
}

/* A listener on 127.0.0.1 with a port the system picks. */
static int listen_loopback(int *port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, len) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        perror("listen");
        exit(1);
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

/* peer_gone: the receiver accepts, then vanishes while records keep coming.
 * SIGPIPE keeps its default action (terminate) in this process: the
 * library's MSG_NOSIGNAL writes must turn the broken connection into
 * counted drops, not a dead program. */
static int peer_gone(femtolog_logger_t logger) {
    signal(SIGPIPE, SIG_DFL);
    int port = 0, ln = listen_loopback(&port);
    char spec[512];
    snprintf(spec, sizeof spec,
             "{\"kind\":\"socket\",\"host\":\"127.0.0.1\",\"port\":%d,\"write_timeout_ms\":200,"
             "\"backoff\":{\"base_ms\":5,\"cap_ms\":20,\"deadline_ms\":100}}",
             port);
    femtolog_handler_t handler = make_handler(logger, spec);
    log_records(logger, "before", 10);
    check(femtolog_handler_flush(handler, 5000), "femtolog_handler_flush");
    int conn = accept(ln, NULL, NULL);
    struct linger reset = {.l_onoff = 1, .l_linger = 0};
    setsockopt(conn, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    close(conn); /* RST: the connection is gone */
    close(ln);   /* and reconnects are refused */
    for (int round = 0; round < 5; round++) {
        log_records(logger, "after", 20);
        femtolog_handler_flush(handler, 5000); /* may report lost records */
    }
    check(femtolog_handler_close(handler, 5000), "femtolog_handler_close");
    femtolog_handler_stats st = print_stats(handler);
    if (st.delivered + st.dropped + st.failed != 110 || st.dropped == 0) {
        fprintf(stderr, "peer-gone: got %llu accounted, %llu dropped; want 110 and some\n",
                (unsigned long long)(st.delivered + st.dropped + st.failed),
                (unsigned long long)st.dropped);
        return 1;
    }
    printf("peer-gone: survived, every record accounted\n");
    return 0;
}

int main(int argc, char **argv) {
    if (femtolog_version() != FEMTOLOG_VERSION) {
        fprintf(stderr, "libfemtolog version %d, header version %d\n", femtolog_version(),
                FEMTOLOG_VERSION);
        return 1;
    }
    femtolog_logger_t logger = 0;
    const char *name = "c.socket";
    check(femtolog_logger_get(&logger, name, strlen(name)), "femtolog_logger_get");

    char spec[512];
    if (argc == 3 && strcmp(argv[1], "unix") == 0) {
        snprintf(spec, sizeof spec, "{\"kind\":\"socket\",\"unix_path\":\"%s\"}", argv[2]);
    } else if (argc == 4 && strcmp(argv[1], "tcp") == 0) {
        snprintf(spec, sizeof spec, "{\"kind\":\"socket\",\"host\":\"%s\",\"port\":%s}", argv[2],
                 argv[3]);
    } else if (argc == 2 && strcmp(argv[1], "peer-gone") == 0) {
        int rc = peer_gone(logger);
        check(femtolog_shutdown(1000), "femtolog_shutdown");
        return rc;
    } else {
        fprintf(stderr, "usage: %s unix PATH | tcp HOST PORT | peer-gone\n", argv[0]);
        return 2;
    }

    /* A bad spec is refused with a message naming the bad value. */
    femtolog_handler_t bad = 0;
    const char *tls_unix = "{\"kind\":\"socket\",\"unix_path\":\"/tmp/x.sock\",\"tls\":{}}";
    int st = femtolog_handler_create(&bad, tls_unix, strlen(tls_unix));
    printf("TLS over unix: status %d: %s\n", st, femtolog_last_error());

    femtolog_handler_t handler = make_handler(logger, spec);
    log_records(logger, "from C", RECORDS);
    check(femtolog_handler_flush(handler, 5000), "femtolog_handler_flush");
    check(femtolog_handler_close(handler, 5000), "femtolog_handler_close");
    print_stats(handler);
    check(femtolog_shutdown(1000), "femtolog_shutdown");
    return 0;
}
