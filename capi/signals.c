// Flush-on-signal, the C half: the signal handler and its installation at
// load. The handler only writes the signal number into a pipe (all it may
// do in a signal handler); a Go goroutine (signals.go) reads it, flushes
// with a deadline and calls femtolog_signals_die_ to die by that signal.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "signals.h"

// The signals whose default action ends the process without a core dump
// and which a supervisor or a terminal sends to stop a program.
static const int watched[] = {SIGTERM, SIGHUP, SIGINT};
#define WATCHED_COUNT ((int)(sizeof watched / sizeof watched[0]))

static int pipe_fds[2] = {-1, -1};
static pid_t owner_pid;
static volatile sig_atomic_t ours[WATCHED_COUNT]; // our handler installed for watched[i]
static volatile sig_atomic_t caught;               // the first signal caught, 0 before

// restore_default puts back sig's default action. Async-signal-safe: it
// runs in the signal handler and in the child of fork().
static void restore_default(int sig) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
}

// die_by acts as the default action of sig would: restore it, unblock sig
// in this thread and send it to this thread, which ends the process.
static void die_by(int sig) {
    restore_default(sig);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

static void on_signal(int sig) {
    int saved = errno;
    // In a child of fork() there is no goroutine to read the pipe, and a
    // second signal while flushing means "now": act as the default would.
    if (getpid() != owner_pid || caught != 0) {
        die_by(sig);
        errno = saved;
        return;
    }
    caught = sig;
    unsigned char byte = (unsigned char)sig;
    if (write(pipe_fds[1], &byte, 1) != 1) {
        die_by(sig); // cannot reach the goroutine: lose the flush, not the signal
    }
    errno = saved;
}

static int is_ours(int sig) {
    struct sigaction cur;
    return sigaction(sig, NULL, &cur) == 0 && !(cur.sa_flags & SA_SIGINFO) &&
           cur.sa_handler == on_signal;
}

// femtolog_signals_uninstall_ restores the default action of every signal
// whose handler is still ours; a handler the program installed since is
// left alone. Async-signal-safe: after_fork_in_child calls it too.
void femtolog_signals_uninstall_(void) {
    for (int i = 0; i < WATCHED_COUNT; i++) {
        if (ours[i] && is_ours(watched[i])) {
            restore_default(watched[i]);
        }
        ours[i] = 0;
    }
}

// after_fork_in_child runs in the child of every fork(), inside fork()
// itself (pthread_atfork). The child has no goroutine to read the pipe, so
// this copy's handlers could only act as the default: restore the default
// where ours is still installed, so that a fresh copy of the library
// loaded by the child (issue 12: the fork support) installs its own, which
// flush what the child logged. The pipe is closed: a chain of forks must
// not accumulate descriptors. Only async-signal-safe calls here.
static void after_fork_in_child(void) {
    femtolog_signals_uninstall_();
    for (int i = 0; i < 2; i++) {
        if (pipe_fds[i] >= 0) {
            close(pipe_fds[i]);
            pipe_fds[i] = -1;
        }
    }
}

// install_at_load runs when the library is loaded (before main() of a C
// program linked to it; at dlopen for Python), so that a handler the
// program installs later replaces ours, and one installed earlier is kept.
// Only signals still at their default action get ours.
//
// Priority 101 puts it before the Go runtime's own entry in .init_array
// (which has none): that entry starts the runtime on another thread, whose
// package init (signals.go) asks femtolog_signals_recheck_ whether to start
// the watcher; without the priority the two raced, and a process that lost
// the race caught the signal with nobody reading the pipe (it hung instead
// of dying; seen in forked children loading their copy under load).
__attribute__((constructor(101))) static void install_at_load(void) {
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return;
    }
    // The handler must never block on a full pipe; the reader blocks.
    fcntl(pipe_fds[1], F_SETFL, fcntl(pipe_fds[1], F_GETFL) | O_NONBLOCK);
    owner_pid = getpid();
    pthread_atfork(NULL, NULL, after_fork_in_child);
    for (int i = 0; i < WATCHED_COUNT; i++) {
        struct sigaction old;
        if (sigaction(watched[i], NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) ||
            old.sa_handler != SIG_DFL) {
            continue;
        }
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        // SA_ONSTACK: the Go runtime requires it of every handler that may
        // run on one of its threads. SA_RESTART: the program's blocking
        // calls carry on as if no handler existed.
        sa.sa_flags = SA_ONSTACK | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        for (int j = 0; j < WATCHED_COUNT; j++) {
            sigaddset(&sa.sa_mask, watched[j]);
        }
        if (sigaction(watched[i], &sa, NULL) == 0) {
            ours[i] = 1;
        }
    }
}

// femtolog_signals_recheck_ reports how many watched signals still have our
// handler. In a Go test binary (not -buildmode=c-shared) the Go runtime
// replaces every handler after the constructor ran: nothing to watch then.
int femtolog_signals_recheck_(void) {
    int n = 0;
    for (int i = 0; i < WATCHED_COUNT; i++) {
        ours[i] = ours[i] && is_ours(watched[i]);
        n += ours[i];
    }
    return n;
}

// femtolog_signals_wait_ blocks until a watched signal was caught and
// returns its number (-1 when the pipe is unusable).
int femtolog_signals_wait_(void) {
    for (;;) {
        unsigned char byte;
        ssize_t n = read(pipe_fds[0], &byte, 1);
        if (n == 1) {
            return byte;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return -1;
    }
}

void femtolog_signals_die_(int sig) { die_by(sig); }
