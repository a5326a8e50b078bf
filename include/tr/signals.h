/*
 * SIGINT and SIGTERM during a write: the handler only records the signal; the import loop sees
 * it, rolls the file's transaction back, and the command exits 128 + signal (130, 143) with the
 * lock released. Owns no resources.
 */
#ifndef TR_SIGNALS_H
#define TR_SIGNALS_H

#include <signal.h>

/* The signal caught (SIGINT or SIGTERM), or 0. */
extern volatile sig_atomic_t tr_signal_caught;

/* Installs the handlers (once per process; for writing commands). */
void tr_signals_install(void);
/* 128 + the signal caught, or rc when none was. */
int tr_signals_exit_code(int rc);

#endif
