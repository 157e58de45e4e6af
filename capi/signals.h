// Internal: flush-on-signal, shared by signals.c and signals.go. See
// signals.go for what it does and why.
#ifndef FEMTOLOG_SIGNALS_H
#define FEMTOLOG_SIGNALS_H

#include "helpers.h"

FEMTOLOG_HIDDEN int femtolog_signals_recheck_(void);
FEMTOLOG_HIDDEN int femtolog_signals_wait_(void);
FEMTOLOG_HIDDEN void femtolog_signals_die_(int sig);
FEMTOLOG_HIDDEN void femtolog_signals_uninstall_(void);

#endif
